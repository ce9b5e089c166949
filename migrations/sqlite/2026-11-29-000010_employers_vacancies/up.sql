-- Employers (managed by MINTRAB) and job vacancies (posted by MINTRAB for
-- an employer, or by a university for its own positions). No personal
-- data about migrants lives here. Salaries are integer centavos (GTQ).
CREATE TABLE employers (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    search_name TEXT NOT NULL,
    sector TEXT NOT NULL CHECK (sector IN ('PUBLIC', 'PRIVATE')),
    nit TEXT NOT NULL UNIQUE,
    municipality_code TEXT NOT NULL REFERENCES municipalities (code),
    contact_name TEXT,
    contact_phone TEXT,
    contact_email TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX employers_page_idx ON employers (created_at, id);
CREATE INDEX employers_search_idx ON employers (search_name);

CREATE TABLE job_vacancies (
    id TEXT PRIMARY KEY NOT NULL,
    posted_by TEXT NOT NULL REFERENCES institutions (code),
    employer_id TEXT REFERENCES employers (id),
    title TEXT NOT NULL,
    isco_code TEXT NOT NULL,
    required_certifications TEXT NOT NULL DEFAULT '[]',
    preferred_certifications TEXT NOT NULL DEFAULT '[]',
    min_education TEXT,
    languages TEXT NOT NULL DEFAULT '[]',
    min_english TEXT,
    municipality_code TEXT NOT NULL REFERENCES municipalities (code),
    department_code TEXT NOT NULL REFERENCES departments (code),
    openings INTEGER NOT NULL CHECK (openings >= 1),
    salary_min_centavos BIGINT CHECK (salary_min_centavos >= 0),
    salary_max_centavos BIGINT CHECK (salary_max_centavos >= 0),
    status TEXT NOT NULL CHECK (status IN ('OPEN', 'FILLED', 'CLOSED')),
    closes_on DATE,
    version INTEGER NOT NULL DEFAULT 1,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK (salary_min_centavos IS NULL OR salary_max_centavos IS NULL
           OR salary_min_centavos <= salary_max_centavos)
);
-- The list: newest first, usually of one status.
CREATE INDEX job_vacancies_page_idx ON job_vacancies (created_at, id);
CREATE INDEX job_vacancies_status_idx ON job_vacancies (status, created_at, id);
-- Filters: occupation prefix, place, employer, poster.
CREATE INDEX job_vacancies_isco_idx ON job_vacancies (isco_code);
CREATE INDEX job_vacancies_place_idx ON job_vacancies (department_code, municipality_code);
CREATE INDEX job_vacancies_employer_idx ON job_vacancies (employer_id);
CREATE INDEX job_vacancies_poster_idx ON job_vacancies (posted_by, created_at, id);
