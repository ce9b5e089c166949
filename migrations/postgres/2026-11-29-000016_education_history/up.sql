-- Education history (SKILLS slice): studies a person began or completed,
-- in Guatemala or the United States. `field_code` is an ISCED-F 2013
-- broad field (data/isced_f_2013_broad_fields.csv, validated by the API);
-- `institution` is the only free text (erasure clears it). Records have
-- ids because study applications cite the record they recognise.
CREATE TABLE education_records (
    id TEXT PRIMARY KEY NOT NULL,
    migrant_id TEXT NOT NULL REFERENCES migrants (id),
    level TEXT NOT NULL CHECK (level IN ('PRIMARY', 'LOWER_SECONDARY', 'UPPER_SECONDARY', 'TECHNICAL', 'UNIVERSITY', 'POSTGRADUATE')),
    field_code TEXT NOT NULL,
    institution TEXT,
    country TEXT NOT NULL CHECK (country IN ('GT', 'US')),
    years_completed INTEGER NOT NULL CHECK (years_completed BETWEEN 0 AND 12),
    credits INTEGER CHECK (credits BETWEEN 0 AND 400),
    completed BOOLEAN NOT NULL,
    last_year INTEGER CHECK (last_year BETWEEN 1950 AND 2100),
    version INTEGER NOT NULL DEFAULT 1,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX education_records_migrant_idx ON education_records (migrant_id, created_at, id);
