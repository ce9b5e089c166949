-- Break-the-glass: one record opened outside the caller's rows, for a short
-- time, with a reason; the audit chain records each use by grant id only.
CREATE TABLE emergency_accesses (
    id TEXT PRIMARY KEY NOT NULL,
    migrant_id TEXT NOT NULL REFERENCES migrants (id),
    institution_code TEXT NOT NULL REFERENCES institutions (code),
    subject TEXT NOT NULL,
    role TEXT NOT NULL,
    reason TEXT NOT NULL,
    opened_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX emergency_accesses_grant_idx
    ON emergency_accesses (migrant_id, institution_code, subject, expires_at);
CREATE INDEX emergency_accesses_review_idx ON emergency_accesses (opened_at, id);
