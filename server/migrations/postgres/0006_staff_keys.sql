-- Staff accounts and API keys under the practice's control: API keys act with a role (keys
-- made before roles existed keep acting as owners) and remember roughly when they were last
-- used. (Accounts are disabled through staff_users.disabled_at, there from the start.)
-- Instants are UTC seconds since the Unix epoch.

ALTER TABLE api_keys ADD COLUMN role TEXT NOT NULL DEFAULT 'owner'
    CHECK (role IN ('owner', 'admin', 'front_desk'));
ALTER TABLE api_keys ADD COLUMN last_used_at BIGINT;
CREATE INDEX api_keys_practice ON api_keys (practice_id);
