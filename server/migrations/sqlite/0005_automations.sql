-- Automations: the scheduler's leases, recall rules and personal booking links, no-show
-- follow-ups, aftercare and feedback, broadcasts, and patients who paused automated messages.
-- Instants are UTC seconds since the Unix epoch.

-- One row per periodic job: the instance holding the lease runs it; the others skip it until
-- the lease runs out (an instance that stopped mid-run loses it by itself).
CREATE TABLE job_leases (
    name TEXT PRIMARY KEY,
    holder TEXT NOT NULL DEFAULT '',
    lease_until INTEGER NOT NULL DEFAULT 0,
    last_finished_at INTEGER
);

-- Follow-ups a practice sends by itself; a practice without a row uses the defaults.
CREATE TABLE automation_settings (
    practice_id INTEGER PRIMARY KEY REFERENCES practices(id),
    no_show_enabled INTEGER NOT NULL DEFAULT 1,
    -- Hours after the no-show, comma-separated: 1st, 2nd, 3rd message.
    no_show_delays_hours TEXT NOT NULL DEFAULT '2,24,72',
    feedback_enabled INTEGER NOT NULL DEFAULT 0,
    broadcast_per_minute INTEGER NOT NULL DEFAULT 60,
    updated_at INTEGER NOT NULL
);

-- Sent when an appointment for the reason is marked completed ('' = nothing).
ALTER TABLE reasons ADD COLUMN aftercare TEXT NOT NULL DEFAULT '';

-- Set when the patient opted out (STOP, unsubscribe) or staff paused their automated
-- messages: no recall, follow-up, feedback or broadcast reaches them.
ALTER TABLE patients ADD COLUMN automations_paused_at INTEGER;

CREATE TABLE recall_rules (
    id INTEGER PRIMARY KEY,
    practice_id INTEGER NOT NULL REFERENCES practices(id),
    name TEXT NOT NULL,
    -- NULL: any completed visit starts the wait.
    after_reason_id INTEGER REFERENCES reasons(id),
    interval_days INTEGER NOT NULL CHECK (interval_days BETWEEN 1 AND 3660),
    book_reason_id INTEGER NOT NULL REFERENCES reasons(id),
    -- NULL: every channel the practice sends on.
    channel TEXT CHECK (channel IN ('sms', 'whatsapp', 'email')),
    message TEXT NOT NULL,
    audience TEXT NOT NULL DEFAULT 'all' CHECK (audience IN ('all', 'adults', 'children')),
    active INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    -- Deleted rules keep their links (and numbers) but never run again.
    deleted_at INTEGER
);
CREATE INDEX recall_rules_practice ON recall_rules (practice_id);

-- Personal booking links: a recall (one per rule, patient and visit that started the wait) or
-- a rebooking link after a no-show (one per appointment). Only the token's hash is kept.
CREATE TABLE patient_links (
    id INTEGER PRIMARY KEY,
    practice_id INTEGER NOT NULL REFERENCES practices(id),
    token_hash TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('recall', 'rebooking')),
    patient_id INTEGER NOT NULL REFERENCES patients(id),
    reason_id INTEGER NOT NULL REFERENCES reasons(id),
    rule_id INTEGER REFERENCES recall_rules(id),
    -- Recall: the start of the visit that began the wait.
    cycle_at INTEGER,
    -- Rebooking: the missed appointment.
    appointment_id INTEGER REFERENCES appointments(id),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    opened_at INTEGER,
    booked_appointment_id INTEGER REFERENCES appointments(id),
    booked_at INTEGER
);
-- What makes sending a recall happen once, whichever instance runs the job and however often.
CREATE UNIQUE INDEX patient_links_recall_once ON patient_links (rule_id, patient_id, cycle_at);
CREATE UNIQUE INDEX patient_links_rebooking_once ON patient_links (appointment_id, kind);
CREATE INDEX patient_links_patient ON patient_links (patient_id);

-- One row per appointment marked no-show while follow-ups were on.
CREATE TABLE no_show_followups (
    appointment_id INTEGER PRIMARY KEY REFERENCES appointments(id),
    practice_id INTEGER NOT NULL REFERENCES practices(id),
    patient_id INTEGER NOT NULL REFERENCES patients(id),
    started_at INTEGER NOT NULL,
    -- 'booked' (recovered), 'opted_out', 'corrected' (the appointment was marked completed).
    stopped_at INTEGER,
    stop_reason TEXT,
    recovered_appointment_id INTEGER REFERENCES appointments(id)
);
CREATE INDEX no_show_followups_patient ON no_show_followups (patient_id);

-- A rating request (sent an hour after completion) and its answer.
CREATE TABLE feedback (
    id INTEGER PRIMARY KEY,
    practice_id INTEGER NOT NULL REFERENCES practices(id),
    appointment_id INTEGER NOT NULL UNIQUE REFERENCES appointments(id),
    token_hash TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    rating INTEGER CHECK (rating BETWEEN 1 AND 5),
    comment TEXT NOT NULL DEFAULT '',
    answered_at INTEGER
);
CREATE INDEX feedback_answered ON feedback (practice_id, answered_at);

CREATE TABLE broadcasts (
    id INTEGER PRIMARY KEY,
    practice_id INTEGER NOT NULL REFERENCES practices(id),
    template TEXT NOT NULL,
    -- The filter as sent (JSON).
    filter TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    recipients INTEGER NOT NULL,
    messages INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX broadcasts_practice ON broadcasts (practice_id, created_at);

-- Which broadcast a message belongs to: the record of who was sent what.
ALTER TABLE outbox ADD COLUMN broadcast_id INTEGER REFERENCES broadcasts(id);
CREATE INDEX outbox_broadcast ON outbox (broadcast_id) WHERE broadcast_id IS NOT NULL;
-- A patient's messages still to go (stopped when they book again or opt out).
CREATE INDEX outbox_patient_pending ON outbox (patient_id) WHERE status IN ('queued', 'failed');
-- Recall looks up patients' visits.
CREATE INDEX appointments_patient ON appointments (patient_id, status, starts_at);

-- Further manage tokens of an appointment: a broadcast carries a link to the booking without
-- replacing the one the patient already has.
CREATE TABLE extra_manage_tokens (
    token_hash TEXT PRIMARY KEY,
    practice_id INTEGER NOT NULL REFERENCES practices(id),
    appointment_id INTEGER NOT NULL REFERENCES appointments(id),
    created_at INTEGER NOT NULL
);
