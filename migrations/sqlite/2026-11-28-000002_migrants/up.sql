-- Migrant records, arrivals, consents, the audit chain and idempotency keys.
CREATE TABLE migrants (
    id TEXT PRIMARY KEY NOT NULL,
    given_names TEXT NOT NULL,
    family_names TEXT NOT NULL,
    search_name TEXT NOT NULL,
    birth_date DATE NOT NULL,
    sex TEXT NOT NULL CHECK (sex IN ('FEMALE', 'MALE', 'OTHER')),
    document_number TEXT UNIQUE,
    passport_number TEXT,
    phone TEXT,
    address TEXT,
    relative_name TEXT,
    relative_phone TEXT,
    origin_municipality_code TEXT REFERENCES municipalities (code),
    origin_department_code TEXT REFERENCES departments (code),
    education_level TEXT,
    occupations TEXT NOT NULL DEFAULT '[]',
    years_experience INTEGER,
    languages TEXT NOT NULL DEFAULT '[]',
    english_level TEXT,
    certifications TEXT NOT NULL DEFAULT '[]',
    needs_medical_attention BOOLEAN NOT NULL DEFAULT FALSE,
    medical_conditions TEXT,
    health_notes TEXT,
    unaccompanied_minor BOOLEAN NOT NULL DEFAULT FALSE,
    family_separation BOOLEAN NOT NULL DEFAULT FALSE,
    protection_needs BOOLEAN NOT NULL DEFAULT FALSE,
    do_not_share BOOLEAN NOT NULL DEFAULT FALSE,
    protection_notes TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX migrants_page_idx ON migrants (created_at, id);
CREATE INDEX migrants_origin_idx ON migrants (origin_department_code, origin_municipality_code);
CREATE INDEX migrants_search_idx ON migrants (search_name);

CREATE TABLE arrivals (
    id TEXT PRIMARY KEY NOT NULL,
    migrant_id TEXT NOT NULL REFERENCES migrants (id),
    arrived_at TIMESTAMP NOT NULL,
    flight_code TEXT,
    us_state TEXT,
    months_in_us INTEGER,
    recorded_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX arrivals_migrant_idx ON arrivals (migrant_id, arrived_at);
CREATE INDEX arrivals_time_idx ON arrivals (arrived_at, migrant_id);

CREATE TABLE consents (
    id TEXT PRIMARY KEY NOT NULL,
    migrant_id TEXT NOT NULL REFERENCES migrants (id),
    institution_code TEXT NOT NULL REFERENCES institutions (code),
    purpose TEXT NOT NULL CHECK (purpose IN ('EMPLOYMENT', 'EDUCATION')),
    granted_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP,
    revoked_at TIMESTAMP,
    recorded_by TEXT NOT NULL,
    revoked_by TEXT,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX consents_migrant_idx ON consents (migrant_id);
CREATE INDEX consents_scope_idx ON consents (institution_code, purpose, migrant_id);

CREATE TABLE audit_head (
    id INTEGER PRIMARY KEY NOT NULL,
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE audit_events (
    seq BIGINT PRIMARY KEY NOT NULL,
    occurred_at TIMESTAMP NOT NULL,
    actor_subject TEXT NOT NULL,
    actor_institution TEXT NOT NULL,
    actor_role TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    record_ids TEXT NOT NULL,
    slices TEXT NOT NULL,
    request_id TEXT NOT NULL,
    detail TEXT,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_events_time_idx ON audit_events (occurred_at);

CREATE TABLE idempotency_keys (
    subject TEXT NOT NULL,
    institution_code TEXT NOT NULL,
    idem_key TEXT NOT NULL,
    operation TEXT NOT NULL,
    result_id TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (institution_code, subject, idem_key)
);
