-- The language each household reads (a code of shared/lang; NULL: the practice's default),
-- the language each queued message is written in, and practices' own templates per language.
ALTER TABLE households ADD COLUMN lang TEXT;
-- The language a queued booking or request was made in (NULL: none chosen).
ALTER TABLE booking_queue ADD COLUMN lang TEXT;
ALTER TABLE outbox ADD COLUMN lang TEXT NOT NULL DEFAULT 'en';
-- Messages not sent yet were written in the practice's default language.
UPDATE outbox SET lang = (SELECT p.default_lang FROM practices p WHERE p.id = outbox.practice_id)
WHERE status IN ('queued', 'sending', 'failed');

-- Templates written before languages were in the practice's default language.
ALTER TABLE message_templates ADD COLUMN lang TEXT NOT NULL DEFAULT 'en';
UPDATE message_templates t SET lang = p.default_lang FROM practices p WHERE p.id = t.practice_id;
ALTER TABLE message_templates ALTER COLUMN lang DROP DEFAULT;
ALTER TABLE message_templates DROP CONSTRAINT message_templates_pkey;
ALTER TABLE message_templates ADD PRIMARY KEY (practice_id, event, channel, lang);
