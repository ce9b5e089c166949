CREATE INDEX consents_scope_idx ON consents (institution_code, purpose, migrant_id);
DROP INDEX consents_active_idx;
