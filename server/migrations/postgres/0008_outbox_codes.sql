-- The sweep that forgets delivered one-time codes reads only code messages of the last week.
CREATE INDEX outbox_codes ON outbox (created_at) WHERE event = 'verification_code';
