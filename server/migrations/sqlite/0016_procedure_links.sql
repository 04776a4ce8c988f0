-- Personal procedure links: staff send a patient a link that books the rest of their
-- procedure (the visits from the first one not booked on). Only the token's hash is kept.
CREATE TABLE procedure_links (
    id INTEGER PRIMARY KEY,
    practice_id INTEGER NOT NULL REFERENCES practices(id),
    token_hash TEXT NOT NULL UNIQUE,
    procedure_id INTEGER NOT NULL REFERENCES procedures(id),
    patient_id INTEGER NOT NULL REFERENCES patients(id),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    opened_at INTEGER,
    used_at INTEGER
);
CREATE INDEX procedure_links_procedure ON procedure_links (procedure_id);

-- A chain held through such a link books the rest of this procedure, from this step on.
ALTER TABLE procedures ADD COLUMN continues_id INTEGER REFERENCES procedures(id);
ALTER TABLE procedures ADD COLUMN from_position INTEGER;
