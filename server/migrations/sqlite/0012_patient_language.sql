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
CREATE TABLE message_templates_by_language (
    practice_id INTEGER NOT NULL REFERENCES practices(id),
    event TEXT NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('sms', 'whatsapp', 'email')),
    lang TEXT NOT NULL,
    subject TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (practice_id, event, channel, lang)
);
INSERT INTO message_templates_by_language
    (practice_id, event, channel, lang, subject, body, updated_at)
SELECT t.practice_id, t.event, t.channel, p.default_lang, t.subject, t.body, t.updated_at
FROM message_templates t JOIN practices p ON p.id = t.practice_id;
DROP TABLE message_templates;
ALTER TABLE message_templates_by_language RENAME TO message_templates;
