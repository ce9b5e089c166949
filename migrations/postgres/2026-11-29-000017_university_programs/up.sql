-- University programmes and their intakes. No personal data. Seats are
-- per intake: admitting takes one with a conditional UPDATE
-- (`seats_taken < seats`), and the CHECK below backs it up. Money is
-- integer centavos (GTQ); `languages` is a JSON list of ISO 639-3 codes.
CREATE TABLE university_programs (
    id TEXT PRIMARY KEY NOT NULL,
    university_code TEXT NOT NULL REFERENCES institutions (code),
    name TEXT NOT NULL,
    faculty TEXT NOT NULL,
    level TEXT NOT NULL CHECK (level IN ('TECHNICAL_DIPLOMA', 'LICENCIATURA', 'MASTERS', 'DOCTORATE')),
    field_code TEXT NOT NULL,
    modality TEXT NOT NULL CHECK (modality IN ('IN_PERSON', 'WEEKEND', 'ONLINE')),
    campus_municipality_code TEXT NOT NULL REFERENCES municipalities (code),
    campus_department_code TEXT NOT NULL REFERENCES departments (code),
    seats_per_intake INTEGER NOT NULL CHECK (seats_per_intake >= 1),
    min_education TEXT NOT NULL,
    languages TEXT NOT NULL DEFAULT '[]',
    tuition_centavos BIGINT CHECK (tuition_centavos >= 0),
    scholarships_offered BOOLEAN NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    version INTEGER NOT NULL DEFAULT 1,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX university_programs_page_idx ON university_programs (created_at, id);
CREATE INDEX university_programs_university_idx ON university_programs (university_code, created_at, id);

CREATE TABLE program_intakes (
    id TEXT PRIMARY KEY NOT NULL,
    program_id TEXT NOT NULL REFERENCES university_programs (id),
    starts_on DATE NOT NULL,
    seats INTEGER NOT NULL CHECK (seats >= 1),
    seats_taken INTEGER NOT NULL DEFAULT 0 CHECK (seats_taken >= 0 AND seats_taken <= seats),
    UNIQUE (program_id, starts_on)
);
