-- The waitlist: patients who would take an earlier or another time for a visit, within a range
-- of days, on some weekdays and times of day. An entry ends when its patient books the visit,
-- is removed, or expires after its last day.
CREATE TABLE waitlist_entries (
    id INTEGER PRIMARY KEY,
    practice_id INTEGER NOT NULL REFERENCES practices(id),
    -- A known patient (verified returning, from a booking, or added by staff); NULL: someone new.
    patient_id INTEGER REFERENCES patients(id),
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    reason_id INTEGER NOT NULL REFERENCES reasons(id),
    -- NULL: whoever is free.
    provider_id INTEGER REFERENCES providers(id),
    from_date TEXT NOT NULL,
    to_date TEXT NOT NULL,
    -- Weekdays as bits (Monday 1, Tuesday 2, ... Sunday 64) and times of day (morning 1,
    -- afternoon 2, evening 4).
    days INTEGER NOT NULL DEFAULT 127,
    times INTEGER NOT NULL DEFAULT 7,
    asap INTEGER NOT NULL DEFAULT 0,
    short_notice INTEGER NOT NULL DEFAULT 0,
    source TEXT NOT NULL CHECK (source IN ('widget', 'manage', 'staff')),
    -- From the manage page: the booking the patient would move to an earlier time.
    appointment_id INTEGER REFERENCES appointments(id),
    lang TEXT,
    status TEXT NOT NULL DEFAULT 'waiting'
        CHECK (status IN ('waiting', 'booked', 'expired', 'removed')),
    created_at INTEGER NOT NULL,
    -- The start of the day after `to_date` in the practice's time zone.
    expires_at INTEGER NOT NULL,
    resolved_at INTEGER
);
CREATE INDEX waitlist_practice ON waitlist_entries (practice_id, status, reason_id);
CREATE INDEX waitlist_due ON waitlist_entries (status, expires_at);
