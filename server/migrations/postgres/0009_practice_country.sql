-- The country whose national phone numbers the practice's patients may type (ISO 3166-1
-- alpha-2, e.g. US); empty: the country of the practice's own phone number.
ALTER TABLE practices ADD COLUMN country TEXT NOT NULL DEFAULT '';
