-- Study applications (STUDIES slice): a person applying to an intake of a
-- programme, moving forward only, with the history of moves. The
-- programme's university is copied onto the row so every read can be
-- scoped to the caller's own university by index. A scholarship is a
-- percentage or an amount, never both; recognised prior studies cite the
-- education record they come from.
CREATE TABLE study_applications (
    id TEXT PRIMARY KEY NOT NULL,
    migrant_id TEXT NOT NULL REFERENCES migrants (id),
    program_id TEXT NOT NULL REFERENCES university_programs (id),
    intake_id TEXT NOT NULL REFERENCES program_intakes (id),
    university_code TEXT NOT NULL REFERENCES institutions (code),
    status TEXT NOT NULL CHECK (status IN ('SUBMITTED', 'ADMITTED', 'REJECTED', 'ENROLLED', 'WITHDRAWN')),
    scholarship_percent INTEGER CHECK (scholarship_percent BETWEEN 1 AND 100),
    scholarship_centavos BIGINT CHECK (scholarship_centavos >= 0),
    recognised_record_id TEXT REFERENCES education_records (id),
    recognised_years INTEGER CHECK (recognised_years BETWEEN 0 AND 12),
    recognised_credits INTEGER CHECK (recognised_credits BETWEEN 0 AND 400),
    version INTEGER NOT NULL DEFAULT 1,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (migrant_id, intake_id),
    CHECK (scholarship_percent IS NULL OR scholarship_centavos IS NULL)
);
CREATE INDEX study_applications_university_idx ON study_applications (university_code, created_at, id);
CREATE INDEX study_applications_program_idx ON study_applications (program_id, created_at, id);
CREATE INDEX study_applications_migrant_idx ON study_applications (migrant_id);

CREATE TABLE study_application_events (
    application_id TEXT NOT NULL REFERENCES study_applications (id),
    status TEXT NOT NULL,
    "by" TEXT NOT NULL,
    at TIMESTAMP NOT NULL
);
CREATE INDEX study_application_events_application_idx ON study_application_events (application_id, at);
