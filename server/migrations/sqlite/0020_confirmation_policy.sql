-- Confirmation policy from history: a patient with at least `confirm_no_shows` no-shows in the
-- last `confirm_months` months must confirm a new booking by `confirm_hours` before the visit
-- (0 no-shows turns it off). Unconfirmed at the deadline, the booking is flagged for the team
-- and, when `confirm_release` is on, cancelled, its patient told and its time offered to the
-- waitlist.
ALTER TABLE practices ADD COLUMN confirm_no_shows INTEGER NOT NULL DEFAULT 0;
ALTER TABLE practices ADD COLUMN confirm_months INTEGER NOT NULL DEFAULT 12;
ALTER TABLE practices ADD COLUMN confirm_hours INTEGER NOT NULL DEFAULT 24;
ALTER TABLE practices ADD COLUMN confirm_release INTEGER NOT NULL DEFAULT 0;
-- The deadline of a booking that must be confirmed; NULL: none.
ALTER TABLE appointments ADD COLUMN confirm_by INTEGER;
-- When the deadline passed unconfirmed; NULL: not (yet).
ALTER TABLE appointments ADD COLUMN confirm_missed_at INTEGER;
CREATE INDEX appointments_confirm_by ON appointments (confirm_by) WHERE confirm_by IS NOT NULL;
