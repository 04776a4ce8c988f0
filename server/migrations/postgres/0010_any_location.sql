-- Whether patients may choose "Any location" when a reason is offered at more than one
-- location (1: yes, the default; 0: every patient picks a location).
ALTER TABLE practices ADD COLUMN any_location INTEGER NOT NULL DEFAULT 1;
