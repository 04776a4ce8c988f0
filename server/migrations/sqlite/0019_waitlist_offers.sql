-- Refilling freed times from the waitlist: a time freed by a cancellation or a move is noted,
-- and offered to matching waitlist entries in waves (a practice's wave size and the minutes
-- between waves) while it is still free and ahead.
ALTER TABLE practices ADD COLUMN waitlist_wave_size INTEGER NOT NULL DEFAULT 3;
ALTER TABLE practices ADD COLUMN waitlist_wave_minutes INTEGER NOT NULL DEFAULT 10;

CREATE TABLE freed_times (
    id INTEGER PRIMARY KEY,
    practice_id INTEGER NOT NULL REFERENCES practices(id),
    provider_id INTEGER NOT NULL REFERENCES providers(id),
    starts_at INTEGER NOT NULL,
    ends_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    -- When the last wave of offers went out; NULL: none yet.
    last_wave_at INTEGER,
    -- Nothing more to offer: taken again, passed, or every matching entry offered.
    done_at INTEGER
);
CREATE INDEX freed_times_open ON freed_times (done_at, starts_at);

-- One offer per freed time and entry: a wave never offers the same time to the same entry twice.
CREATE TABLE waitlist_offers (
    id INTEGER PRIMARY KEY,
    practice_id INTEGER NOT NULL REFERENCES practices(id),
    freed_id INTEGER NOT NULL REFERENCES freed_times(id),
    entry_id INTEGER NOT NULL REFERENCES waitlist_entries(id),
    starts_at INTEGER NOT NULL,
    wave INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (freed_id, entry_id)
);
