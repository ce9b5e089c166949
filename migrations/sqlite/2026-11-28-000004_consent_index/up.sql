-- Covering index for consent row scopes: active-consent checks read the index only.
CREATE INDEX consents_active_idx ON consents (institution_code, purpose, migrant_id, revoked_at, expires_at);
DROP INDEX consents_scope_idx;
