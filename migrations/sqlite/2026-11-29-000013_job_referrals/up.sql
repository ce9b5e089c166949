-- Job referrals (EMPLOYMENT slice): a person proposed for a vacancy, moving
-- forward only; HIRED takes one of the vacancy's openings. The history of
-- moves is kept in job_referral_events.
CREATE TABLE job_referrals (
    id TEXT PRIMARY KEY NOT NULL,
    migrant_id TEXT NOT NULL REFERENCES migrants (id),
    vacancy_id TEXT NOT NULL REFERENCES job_vacancies (id),
    status TEXT NOT NULL CHECK (status IN ('PROPOSED', 'REFERRED', 'INTERVIEWED', 'HIRED', 'REJECTED', 'WITHDRAWN')),
    version INTEGER NOT NULL DEFAULT 1,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (migrant_id, vacancy_id)
);
CREATE INDEX job_referrals_vacancy_idx ON job_referrals (vacancy_id, created_at, id);

CREATE TABLE job_referral_events (
    referral_id TEXT NOT NULL REFERENCES job_referrals (id),
    status TEXT NOT NULL,
    "by" TEXT NOT NULL,
    at TIMESTAMP NOT NULL
);
CREATE INDEX job_referral_events_referral_idx ON job_referral_events (referral_id, at);
