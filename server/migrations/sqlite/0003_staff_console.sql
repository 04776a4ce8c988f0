-- Staff console: staff accounts and their sessions, the audit log, the booking queue.
-- Instants are UTC seconds since the Unix epoch.

-- A person who runs a practice. Email is the login and is unique across practices.
CREATE TABLE staff_users (
    id INTEGER PRIMARY KEY,
    practice_id INTEGER NOT NULL REFERENCES practices(id),
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'front_desk')),
    -- Argon2id, PHC string format.
    password_hash TEXT NOT NULL,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until INTEGER,
    created_at INTEGER NOT NULL,
    disabled_at INTEGER
);
CREATE INDEX staff_users_practice ON staff_users (practice_id);

-- Signed-in browsers. The cookie holds the token; only its hash is stored.
CREATE TABLE staff_sessions (
    token_hash TEXT PRIMARY KEY,
    staff_id INTEGER NOT NULL REFERENCES staff_users(id),
    practice_id INTEGER NOT NULL REFERENCES practices(id),
    csrf_token TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX staff_sessions_staff ON staff_sessions (staff_id);

-- Who changed what, when. Targets are ids and kinds only: never names, reasons or notes.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    practice_id INTEGER NOT NULL REFERENCES practices(id),
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL
);
CREATE INDEX audit_log_practice ON audit_log (practice_id, created_at);

-- Bookings the schedule of record could not take, and requests of new patients at
-- existing-patients-only practices: pending → completed | cancelled | expired.
CREATE TABLE booking_queue (
    id INTEGER PRIMARY KEY,
    practice_id INTEGER NOT NULL REFERENCES practices(id),
    kind TEXT NOT NULL DEFAULT 'booking' CHECK (kind IN ('booking', 'request')),
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'completed', 'cancelled', 'expired')),
    patient_id INTEGER REFERENCES patients(id),
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    reason_id INTEGER REFERENCES reasons(id),
    provider_id INTEGER REFERENCES providers(id),
    starts_at INTEGER,
    preference TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    resolved_at INTEGER,
    resolved_by TEXT
);
CREATE INDEX booking_queue_practice ON booking_queue (practice_id, status, created_at);

-- Hours after which a pending booking-queue entry expires.
ALTER TABLE practices ADD COLUMN queue_expiry_hours INTEGER NOT NULL DEFAULT 72;
