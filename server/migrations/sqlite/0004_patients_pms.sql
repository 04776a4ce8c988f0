-- Patients and the practice-management system: households, verified returning patients,
-- the practice's schedule of record (built in or FHIR R4) and its busy time, queue retries.
-- Instants are UTC seconds since the Unix epoch.

-- What kind of practice this is (pets are patients at a veterinary practice) and the optional
-- intake form new patients are sent to.
ALTER TABLE practices ADD COLUMN kind TEXT NOT NULL DEFAULT 'dental'
    CHECK (kind IN ('dental', 'medical', 'veterinary'));
ALTER TABLE practices ADD COLUMN intake_url TEXT NOT NULL DEFAULT '';

-- The person who books: a parent for the family, an owner for the pets.
CREATE TABLE households (
    id INTEGER PRIMARY KEY,
    practice_id INTEGER NOT NULL REFERENCES practices(id),
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL
);
CREATE INDEX households_phone ON households (practice_id, phone);
CREATE INDEX households_email ON households (practice_id, email);

ALTER TABLE patients ADD COLUMN household_id INTEGER REFERENCES households(id);
-- Pets only: 'dog', 'cat', ...
ALTER TABLE patients ADD COLUMN species TEXT;
CREATE INDEX patients_household ON patients (household_id);

-- Patients booked before households existed: one household per practice and phone.
INSERT INTO households (practice_id, first_name, last_name, phone, email, created_at)
SELECT practice_id, MIN(first_name), MIN(last_name), phone, LOWER(MIN(email)), MIN(created_at)
FROM patients GROUP BY practice_id, phone;
UPDATE patients SET household_id = (
    SELECT h.id FROM households h
    WHERE h.practice_id = patients.practice_id AND h.phone = patients.phone
);

-- One-time codes of the returning-patient lookup. A row exists for unknown contacts too
-- (household_id NULL, a code nobody receives), so attempts and answers are the same.
CREATE TABLE patient_codes (
    id INTEGER PRIMARY KEY,
    practice_id INTEGER NOT NULL REFERENCES practices(id),
    contact TEXT NOT NULL,
    household_id INTEGER REFERENCES households(id),
    code_hash TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    expires_at INTEGER NOT NULL,
    used_at INTEGER,
    created_at INTEGER NOT NULL
);
CREATE INDEX patient_codes_contact ON patient_codes (practice_id, contact, created_at);

-- A verified contact: may book for the members of its households until it expires.
CREATE TABLE patient_sessions (
    token_hash TEXT PRIMARY KEY,
    practice_id INTEGER NOT NULL REFERENCES practices(id),
    contact TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);

-- The practice's schedule of record. 'builtin': Slotwise itself; 'fhir': a FHIR R4 server.
CREATE TABLE pms_connections (
    practice_id INTEGER PRIMARY KEY REFERENCES practices(id),
    kind TEXT NOT NULL DEFAULT 'builtin' CHECK (kind IN ('builtin', 'fhir')),
    base_url TEXT NOT NULL DEFAULT '',
    auth_token TEXT NOT NULL DEFAULT '',
    last_success_at INTEGER,
    last_error TEXT,
    last_error_at INTEGER,
    updated_at INTEGER NOT NULL
);

-- Busy time read from the practice system, merged into availability.
CREATE TABLE pms_busy (
    id INTEGER PRIMARY KEY,
    practice_id INTEGER NOT NULL REFERENCES practices(id),
    provider_id INTEGER NOT NULL REFERENCES providers(id),
    starts_at INTEGER NOT NULL,
    ends_at INTEGER NOT NULL
);
CREATE INDEX pms_busy_provider ON pms_busy (practice_id, provider_id, starts_at);

-- The provider's Practitioner id in the practice system (default: Slotwise's id).
ALTER TABLE providers ADD COLUMN external_id TEXT;
-- The Appointment id the practice system gave a booking.
ALTER TABLE appointments ADD COLUMN external_id TEXT;

-- A queued booking the practice system could not take is retried when it answers again.
ALTER TABLE booking_queue ADD COLUMN patient_type TEXT;
ALTER TABLE booking_queue ADD COLUMN date_of_birth TEXT NOT NULL DEFAULT '';
ALTER TABLE booking_queue ADD COLUMN species TEXT;
ALTER TABLE booking_queue ADD COLUMN pet_name TEXT;
ALTER TABLE booking_queue ADD COLUMN member_id TEXT;
ALTER TABLE booking_queue ADD COLUMN carrier_id INTEGER;
-- The verified household a new member's queued booking joins.
ALTER TABLE booking_queue ADD COLUMN household_id INTEGER REFERENCES households(id);
-- The id the booking was first written to the practice system under (a retry reuses it).
ALTER TABLE booking_queue ADD COLUMN external_key TEXT;
ALTER TABLE booking_queue ADD COLUMN retry INTEGER NOT NULL DEFAULT 0;
ALTER TABLE booking_queue ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE booking_queue ADD COLUMN last_error TEXT;
-- An instance retrying an entry holds it until then, so no other instance retries it too.
ALTER TABLE booking_queue ADD COLUMN claimed_until INTEGER;
CREATE INDEX booking_queue_retry ON booking_queue (retry, status);
