-- Cancellations and moves of appointments that live in an outside schedule of record (a FHIR
-- server): recorded in the same transaction as the change here, then written there by the
-- practice-system job (at once after commit, then with backoff until it answers).
-- Instants are UTC seconds since the Unix epoch.

-- The identifier value a booking was written to the practice system under (with the
-- server's identifier system), so a later change finds the same Appointment there.
ALTER TABLE appointments ADD COLUMN external_key TEXT;

CREATE TABLE pms_changes (
    id INTEGER PRIMARY KEY,
    practice_id INTEGER NOT NULL REFERENCES practices(id),
    appointment_id INTEGER NOT NULL REFERENCES appointments(id),
    kind TEXT NOT NULL CHECK (kind IN ('cancel', 'move')),
    -- Where it is there: the Appointment's id and our identifier value ('' when unknown).
    external_id TEXT NOT NULL,
    identifier TEXT NOT NULL DEFAULT '',
    -- The payload: the appointment as it is after the change (the new time of a move).
    practitioner TEXT NOT NULL DEFAULT '',
    practitioner_name TEXT NOT NULL DEFAULT '',
    starts_at INTEGER NOT NULL,
    ends_at INTEGER NOT NULL,
    -- pending: still to write; done: the practice system took it; failed: it refused (staff).
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt INTEGER NOT NULL,
    -- An instance writing a change holds it until then, so no other instance writes it too.
    claimed_until INTEGER,
    last_error TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX pms_changes_due ON pms_changes (practice_id, status, next_attempt);
CREATE INDEX pms_changes_appointment ON pms_changes (appointment_id, status);
