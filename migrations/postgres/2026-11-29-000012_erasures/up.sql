-- A person's erasure (data-subject right): who, when and why. The record
-- itself stays, pseudonymised, so statistics and the audit chain hold.
CREATE TABLE erasures (
    migrant_id TEXT PRIMARY KEY NOT NULL REFERENCES migrants (id),
    erased_at TIMESTAMP NOT NULL,
    erased_by TEXT NOT NULL,
    reason TEXT NOT NULL
);
