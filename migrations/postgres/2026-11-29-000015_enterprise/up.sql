-- Micro-enterprise projects (ENTERPRISE slice): a person's business with a
-- grant in integer centavos (GTQ), moving forward only; every move is kept
-- in enterprise_project_events and follow-up notes are dated. Notes carry
-- the person's id so the data-subject export and erasure find them.
CREATE TABLE enterprise_projects (
    id TEXT PRIMARY KEY NOT NULL,
    migrant_id TEXT NOT NULL REFERENCES migrants (id),
    activity TEXT NOT NULL,
    isco_code TEXT,
    municipality_code TEXT REFERENCES municipalities (code),
    department_code TEXT NOT NULL REFERENCES departments (code),
    grant_centavos BIGINT NOT NULL CHECK (grant_centavos >= 0),
    status TEXT NOT NULL CHECK (status IN ('PROPOSED', 'APPROVED', 'FUNDED', 'OPERATING', 'CLOSED')),
    funded_on DATE,
    version INTEGER NOT NULL DEFAULT 1,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX enterprise_projects_page_idx ON enterprise_projects (created_at, id);
CREATE INDEX enterprise_projects_status_idx ON enterprise_projects (status, created_at, id);
CREATE INDEX enterprise_projects_migrant_idx ON enterprise_projects (migrant_id);
CREATE INDEX enterprise_projects_place_idx ON enterprise_projects (department_code, municipality_code);

CREATE TABLE enterprise_project_events (
    project_id TEXT NOT NULL REFERENCES enterprise_projects (id),
    status TEXT NOT NULL,
    "by" TEXT NOT NULL,
    at TIMESTAMP NOT NULL
);
CREATE INDEX enterprise_project_events_project_idx ON enterprise_project_events (project_id, at);

CREATE TABLE enterprise_project_notes (
    id TEXT PRIMARY KEY NOT NULL,
    project_id TEXT NOT NULL REFERENCES enterprise_projects (id),
    migrant_id TEXT NOT NULL REFERENCES migrants (id),
    note_date DATE NOT NULL,
    text TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX enterprise_project_notes_project_idx ON enterprise_project_notes (project_id, note_date, id);
CREATE INDEX enterprise_project_notes_migrant_idx ON enterprise_project_notes (migrant_id);
