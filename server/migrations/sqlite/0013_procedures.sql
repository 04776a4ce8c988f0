-- Procedures: treatments of several visits over time, booked as one chain.
-- A template names its steps; each patient's procedure copies them (a later change to the
-- template leaves procedures under way as they were) and links each step to its appointment.

CREATE TABLE procedure_templates (
    id INTEGER PRIMARY KEY,
    practice_id INTEGER NOT NULL REFERENCES practices(id),
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    bookable_online INTEGER NOT NULL DEFAULT 1,
    active INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    -- Deleted templates keep the procedures they started but start no new ones.
    deleted_at INTEGER
);
CREATE INDEX procedure_templates_practice ON procedure_templates (practice_id);

CREATE TABLE procedure_template_steps (
    template_id INTEGER NOT NULL REFERENCES procedure_templates(id),
    position INTEGER NOT NULL CHECK (position BETWEEN 1 AND 8),
    reason_id INTEGER NOT NULL REFERENCES reasons(id),
    gap_min_days INTEGER NOT NULL CHECK (gap_min_days BETWEEN 0 AND 730),
    gap_max_days INTEGER NOT NULL CHECK (gap_max_days BETWEEN gap_min_days AND 730),
    same_provider_as INTEGER CHECK (same_provider_as >= 1 AND same_provider_as < position),
    PRIMARY KEY (template_id, position)
);

-- A patient's procedure. A chain held from the widget is a procedure with status 'held' and
-- no patient yet; booking it makes it 'active'.
CREATE TABLE procedures (
    id INTEGER PRIMARY KEY,
    practice_id INTEGER NOT NULL REFERENCES practices(id),
    template_id INTEGER NOT NULL REFERENCES procedure_templates(id),
    name TEXT NOT NULL,
    patient_id INTEGER REFERENCES patients(id),
    status TEXT NOT NULL CHECK (status IN ('held', 'expired', 'active', 'completed', 'cancelled')),
    hold_token_hash TEXT UNIQUE,
    hold_expires_at INTEGER,
    source TEXT NOT NULL DEFAULT 'widget',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX procedures_practice ON procedures (practice_id, status);
CREATE INDEX procedures_patient ON procedures (patient_id);

CREATE TABLE procedure_steps (
    procedure_id INTEGER NOT NULL REFERENCES procedures(id),
    position INTEGER NOT NULL CHECK (position BETWEEN 1 AND 8),
    reason_id INTEGER NOT NULL REFERENCES reasons(id),
    gap_min_days INTEGER NOT NULL,
    gap_max_days INTEGER NOT NULL,
    same_provider_as INTEGER,
    -- The step's appointment (a hold while the chain is held); NULL: not booked.
    appointment_id INTEGER REFERENCES appointments(id),
    -- A step before it moved outside its window or was cancelled: the team looks at it.
    flagged INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (procedure_id, position)
);
CREATE UNIQUE INDEX procedure_steps_appointment ON procedure_steps (appointment_id)
    WHERE appointment_id IS NOT NULL;
