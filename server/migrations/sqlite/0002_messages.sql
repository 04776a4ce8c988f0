-- Messages: per-practice channels and templates, the transactional outbox, opt-outs, API keys.
-- Instants are UTC seconds since the Unix epoch.

-- How a practice reaches patients on one channel (sms, whatsapp, email). `config` is the
-- transport's JSON settings (local, twilio, whatsapp_cloud, smtp), secrets included.
CREATE TABLE channel_settings (
    practice_id INTEGER NOT NULL REFERENCES practices(id),
    channel TEXT NOT NULL CHECK (channel IN ('sms', 'whatsapp', 'email')),
    enabled INTEGER NOT NULL DEFAULT 1,
    config TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (practice_id, channel)
);

-- Messaging settings of a practice; a practice without a row uses the defaults.
CREATE TABLE message_settings (
    practice_id INTEGER PRIMARY KEY REFERENCES practices(id),
    -- Minutes before the appointment, comma-separated (default: 1 week, 2 days, 2 hours).
    reminder_offsets TEXT NOT NULL DEFAULT '10080,2880,120',
    updated_at INTEGER NOT NULL
);

-- A practice's own wording for one event on one channel; without a row the default is used.
CREATE TABLE message_templates (
    practice_id INTEGER NOT NULL REFERENCES practices(id),
    event TEXT NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('sms', 'whatsapp', 'email')),
    subject TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (practice_id, event, channel)
);

-- The outbox: written in the same transaction as the change that causes the message.
-- queued → sending → sent | failed (retried) → dead; cancelled (e.g. a reminder of a moved
-- appointment) and suppressed (the recipient opted out) are final too.
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    practice_id INTEGER NOT NULL REFERENCES practices(id),
    appointment_id INTEGER REFERENCES appointments(id),
    patient_id INTEGER REFERENCES patients(id),
    event TEXT NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('sms', 'whatsapp', 'email')),
    recipient TEXT NOT NULL,
    -- Values of the personalisation tags, JSON, captured when the message was queued.
    context TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'failed', 'dead', 'cancelled', 'suppressed')),
    -- Earliest send time (a reminder's time); next_attempt_at moves on with retries.
    send_after INTEGER NOT NULL,
    next_attempt_at INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    -- While `sending`: the worker's claim runs out at this instant.
    lease_until INTEGER,
    -- An attempt may have reached the provider without an answer (timeout after sending,
    -- worker stopped mid-call): the next attempt checks first where it can.
    uncertain INTEGER NOT NULL DEFAULT 0,
    -- Sent again after an uncertain attempt that could not be checked: may have arrived twice.
    possible_duplicate INTEGER NOT NULL DEFAULT 0,
    provider_message_id TEXT,
    last_error TEXT,
    subject TEXT,
    body TEXT,
    unsubscribe_token_hash TEXT UNIQUE,
    -- Set when one message per cause must exist at most (e.g. one reminder per offset).
    dedupe_key TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    sent_at INTEGER
);
CREATE UNIQUE INDEX outbox_dedupe ON outbox (practice_id, dedupe_key);
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE status IN ('queued', 'failed');
CREATE INDEX outbox_leases ON outbox (lease_until) WHERE status = 'sending';
CREATE INDEX outbox_appointment ON outbox (appointment_id);
CREATE INDEX outbox_practice_status ON outbox (practice_id, status, created_at);

-- Addresses that opted out of a channel of a practice (STOP, unsubscribe, carrier refusal).
CREATE TABLE message_suppressions (
    practice_id INTEGER NOT NULL REFERENCES practices(id),
    channel TEXT NOT NULL CHECK (channel IN ('sms', 'whatsapp', 'email')),
    address TEXT NOT NULL,
    reason TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (practice_id, channel, address)
);

-- Keys for the practice API (integrations and operators); only the hash is kept.
CREATE TABLE api_keys (
    id INTEGER PRIMARY KEY,
    practice_id INTEGER NOT NULL REFERENCES practices(id),
    key_hash TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
);
