-- Training courses (run by MINTRAB with providers such as INTECAP; no
-- personal data) and enrolments (EMPLOYMENT slice). A course's seats are
-- a counter taken by a conditional UPDATE, so concurrent enrolments can
-- never pass its capacity; the CHECK holds the line in the database too.
CREATE TABLE training_courses (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    provider TEXT NOT NULL,
    isco_code TEXT NOT NULL,
    municipality_code TEXT NOT NULL REFERENCES municipalities (code),
    department_code TEXT NOT NULL REFERENCES departments (code),
    starts_on DATE NOT NULL,
    ends_on DATE NOT NULL,
    capacity INTEGER NOT NULL CHECK (capacity >= 1),
    seats_taken INTEGER NOT NULL DEFAULT 0 CHECK (seats_taken >= 0),
    status TEXT NOT NULL CHECK (status IN ('OPEN', 'CANCELLED')),
    version INTEGER NOT NULL DEFAULT 1,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK (ends_on >= starts_on),
    CHECK (seats_taken <= capacity)
);
CREATE INDEX training_courses_page_idx ON training_courses (created_at, id);
CREATE INDEX training_courses_isco_idx ON training_courses (isco_code);
CREATE INDEX training_courses_place_idx ON training_courses (department_code, municipality_code);

CREATE TABLE training_enrolments (
    id TEXT PRIMARY KEY NOT NULL,
    migrant_id TEXT NOT NULL REFERENCES migrants (id),
    course_id TEXT NOT NULL REFERENCES training_courses (id),
    status TEXT NOT NULL CHECK (status IN ('ENROLLED', 'COMPLETED', 'DROPPED')),
    version INTEGER NOT NULL DEFAULT 1,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (migrant_id, course_id)
);
CREATE INDEX training_enrolments_course_idx ON training_enrolments (course_id, created_at, id);

CREATE TABLE training_enrolment_events (
    enrolment_id TEXT NOT NULL REFERENCES training_enrolments (id),
    status TEXT NOT NULL,
    "by" TEXT NOT NULL,
    at TIMESTAMP NOT NULL
);
CREATE INDEX training_enrolment_events_enrolment_idx ON training_enrolment_events (enrolment_id, at);
