-- Booking policies per reason: inside the late-cancellation window (hours before the visit) a
-- patient may not cancel or move online (staff still can), unless the booking is still inside
-- its grace period (minutes after it was made). 0 turns each off.
ALTER TABLE reasons ADD COLUMN late_cancel_hours INTEGER NOT NULL DEFAULT 0;
ALTER TABLE reasons ADD COLUMN grace_minutes INTEGER NOT NULL DEFAULT 0;
