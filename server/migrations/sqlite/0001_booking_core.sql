-- Booking core: practices and their bookable world, patients, appointments (holds included).
-- Instants are UTC seconds since the Unix epoch; local dates are TEXT 'YYYY-MM-DD'.

CREATE TABLE practices (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    phone TEXT NOT NULL DEFAULT '',
    timezone TEXT NOT NULL,
    accent_color TEXT NOT NULL DEFAULT '#0f766e',
    logo_url TEXT,
    hold_minutes INTEGER NOT NULL DEFAULT 10,
    existing_patients_only INTEGER NOT NULL DEFAULT 0,
    confirmation_text TEXT NOT NULL DEFAULT '',
    out_of_network_text TEXT NOT NULL DEFAULT '',
    allowed_origins TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL
);

CREATE TABLE locations (
    id INTEGER PRIMARY KEY,
    practice_id INTEGER NOT NULL REFERENCES practices(id),
    name TEXT NOT NULL,
    address TEXT NOT NULL DEFAULT '',
    timezone TEXT NOT NULL,
    UNIQUE (practice_id, name)
);

CREATE TABLE operatories (
    id INTEGER PRIMARY KEY,
    practice_id INTEGER NOT NULL REFERENCES practices(id),
    location_id INTEGER NOT NULL REFERENCES locations(id),
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    UNIQUE (practice_id, location_id, name)
);

CREATE TABLE providers (
    id INTEGER PRIMARY KEY,
    practice_id INTEGER NOT NULL REFERENCES practices(id),
    name TEXT NOT NULL,
    role TEXT NOT NULL DEFAULT '',
    bio TEXT NOT NULL DEFAULT '',
    photo_url TEXT,
    bookable INTEGER NOT NULL DEFAULT 1,
    sort_order INTEGER NOT NULL DEFAULT 0,
    UNIQUE (practice_id, name)
);

CREATE TABLE provider_hours (
    id INTEGER PRIMARY KEY,
    practice_id INTEGER NOT NULL REFERENCES practices(id),
    provider_id INTEGER NOT NULL REFERENCES providers(id),
    location_id INTEGER NOT NULL REFERENCES locations(id),
    weekday INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    start_min INTEGER NOT NULL CHECK (start_min BETWEEN 0 AND 1440),
    end_min INTEGER NOT NULL CHECK (end_min BETWEEN 0 AND 1440),
    CHECK (start_min < end_min)
);
CREATE INDEX provider_hours_provider ON provider_hours (provider_id);

-- Hours of one date that replace the weekly hours; a row without times closes the day.
CREATE TABLE provider_date_hours (
    id INTEGER PRIMARY KEY,
    practice_id INTEGER NOT NULL REFERENCES practices(id),
    provider_id INTEGER NOT NULL REFERENCES providers(id),
    day TEXT NOT NULL,
    location_id INTEGER REFERENCES locations(id),
    start_min INTEGER,
    end_min INTEGER
);
CREATE INDEX provider_date_hours_provider ON provider_date_hours (provider_id, day);

CREATE TABLE time_off (
    id INTEGER PRIMARY KEY,
    practice_id INTEGER NOT NULL REFERENCES practices(id),
    provider_id INTEGER NOT NULL REFERENCES providers(id),
    starts_at INTEGER NOT NULL,
    ends_at INTEGER NOT NULL,
    label TEXT NOT NULL DEFAULT '',
    CHECK (starts_at < ends_at)
);
CREATE INDEX time_off_provider ON time_off (provider_id, ends_at);

CREATE TABLE reasons (
    id INTEGER PRIMARY KEY,
    practice_id INTEGER NOT NULL REFERENCES practices(id),
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    duration_min INTEGER NOT NULL CHECK (duration_min BETWEEN 5 AND 720),
    buffer_before_min INTEGER NOT NULL DEFAULT 0 CHECK (buffer_before_min BETWEEN 0 AND 240),
    buffer_after_min INTEGER NOT NULL DEFAULT 0 CHECK (buffer_after_min BETWEEN 0 AND 240),
    interval_min INTEGER NOT NULL DEFAULT 15 CHECK (interval_min BETWEEN 5 AND 720),
    min_notice_min INTEGER NOT NULL DEFAULT 120 CHECK (min_notice_min >= 0),
    horizon_days INTEGER NOT NULL DEFAULT 90 CHECK (horizon_days BETWEEN 1 AND 730),
    eligibility TEXT NOT NULL DEFAULT 'both' CHECK (eligibility IN ('new', 'returning', 'both')),
    operatory_kind TEXT,
    active INTEGER NOT NULL DEFAULT 1,
    sort_order INTEGER NOT NULL DEFAULT 0,
    UNIQUE (practice_id, name)
);

CREATE TABLE reason_providers (
    reason_id INTEGER NOT NULL REFERENCES reasons(id),
    provider_id INTEGER NOT NULL REFERENCES providers(id),
    PRIMARY KEY (reason_id, provider_id)
);

CREATE TABLE insurance_carriers (
    id INTEGER PRIMARY KEY,
    practice_id INTEGER NOT NULL REFERENCES practices(id),
    name TEXT NOT NULL,
    member_id_required INTEGER NOT NULL DEFAULT 0,
    sort_order INTEGER NOT NULL DEFAULT 0,
    UNIQUE (practice_id, name)
);

CREATE TABLE patients (
    id INTEGER PRIMARY KEY,
    practice_id INTEGER NOT NULL REFERENCES practices(id),
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    date_of_birth TEXT NOT NULL,
    phone TEXT NOT NULL,
    email TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX patients_practice_phone ON patients (practice_id, phone);

-- Holds and appointments share one table so a hold becomes the appointment without a gap.
-- block_start/block_end include the reason's buffers: that is the time no other row may use.
CREATE TABLE appointments (
    id INTEGER PRIMARY KEY,
    practice_id INTEGER NOT NULL REFERENCES practices(id),
    provider_id INTEGER NOT NULL REFERENCES providers(id),
    operatory_id INTEGER REFERENCES operatories(id),
    location_id INTEGER NOT NULL REFERENCES locations(id),
    reason_id INTEGER NOT NULL REFERENCES reasons(id),
    patient_id INTEGER REFERENCES patients(id),
    status TEXT NOT NULL CHECK (status IN ('held', 'expired', 'booked', 'confirmed', 'completed', 'cancelled', 'no_show')),
    starts_at INTEGER NOT NULL,
    ends_at INTEGER NOT NULL,
    block_start INTEGER NOT NULL,
    block_end INTEGER NOT NULL,
    hold_token_hash TEXT UNIQUE,
    hold_expires_at INTEGER,
    manage_token_hash TEXT UNIQUE,
    reference TEXT UNIQUE,
    source TEXT NOT NULL DEFAULT 'widget',
    patient_type TEXT,
    carrier_id INTEGER REFERENCES insurance_carriers(id),
    self_pay INTEGER NOT NULL DEFAULT 0,
    member_id TEXT,
    notes TEXT,
    referrer TEXT,
    utm_source TEXT,
    utm_medium TEXT,
    utm_campaign TEXT,
    utm_term TEXT,
    utm_content TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    -- Counts changes after booking (reschedules, cancellation): calendar files' SEQUENCE.
    revision INTEGER NOT NULL DEFAULT 0,
    CHECK (starts_at < ends_at),
    CHECK (block_start <= starts_at AND ends_at <= block_end),
    -- Bounded length keeps overlap searches a short index range scan.
    CHECK (block_end - block_start <= 86400)
);
-- Covers the busy-time and overlap searches completely, so they never touch the table.
CREATE INDEX appointments_provider_time
    ON appointments (provider_id, block_start, block_end, status, hold_expires_at, practice_id);
CREATE INDEX appointments_operatory_time ON appointments (operatory_id, block_start) WHERE operatory_id IS NOT NULL;
CREATE INDEX appointments_practice_time ON appointments (practice_id, starts_at);
-- Live holds are few; lapsed ones are found through this small partial index.
CREATE INDEX appointments_holds ON appointments (block_start) WHERE status = 'held';

-- The backstop of "no double booking": whatever the application does, SQLite refuses a
-- blocking row that overlaps another blocking row of the same provider or operatory.
CREATE TRIGGER appointments_no_overlap_insert
BEFORE INSERT ON appointments
WHEN NEW.status IN ('held', 'booked', 'confirmed')
BEGIN
    SELECT RAISE(ABORT, 'slot_overlap')
    WHERE EXISTS (
        SELECT 1 FROM appointments a
        WHERE a.provider_id = NEW.provider_id
          AND a.status IN ('held', 'booked', 'confirmed')
          AND a.block_start > NEW.block_start - 86400
          AND a.block_start < NEW.block_end
          AND a.block_end > NEW.block_start
    ) OR (NEW.operatory_id IS NOT NULL AND EXISTS (
        SELECT 1 FROM appointments a
        WHERE a.operatory_id = NEW.operatory_id
          AND a.status IN ('held', 'booked', 'confirmed')
          AND a.block_start > NEW.block_start - 86400
          AND a.block_start < NEW.block_end
          AND a.block_end > NEW.block_start
    ));
END;

CREATE TRIGGER appointments_no_overlap_update
BEFORE UPDATE OF status, provider_id, operatory_id, block_start, block_end ON appointments
WHEN NEW.status IN ('held', 'booked', 'confirmed')
BEGIN
    SELECT RAISE(ABORT, 'slot_overlap')
    WHERE EXISTS (
        SELECT 1 FROM appointments a
        WHERE a.provider_id = NEW.provider_id
          AND a.id <> NEW.id
          AND a.status IN ('held', 'booked', 'confirmed')
          AND a.block_start > NEW.block_start - 86400
          AND a.block_start < NEW.block_end
          AND a.block_end > NEW.block_start
    ) OR (NEW.operatory_id IS NOT NULL AND EXISTS (
        SELECT 1 FROM appointments a
        WHERE a.operatory_id = NEW.operatory_id
          AND a.id <> NEW.id
          AND a.status IN ('held', 'booked', 'confirmed')
          AND a.block_start > NEW.block_start - 86400
          AND a.block_start < NEW.block_end
          AND a.block_end > NEW.block_start
    ));
END;

-- First response of every request sent with an Idempotency-Key, per practice.
CREATE TABLE idempotency_keys (
    practice_id INTEGER NOT NULL REFERENCES practices(id),
    scope TEXT NOT NULL,
    idem_key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status_code INTEGER NOT NULL,
    response_body TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (practice_id, scope, idem_key)
);
