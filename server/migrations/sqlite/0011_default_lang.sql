-- The language patients of the practice read when neither they nor their browser choose one
-- (a code of shared/lang, e.g. en or es).
ALTER TABLE practices ADD COLUMN default_lang TEXT NOT NULL DEFAULT 'en';
