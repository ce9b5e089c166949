-- Arrival day: charter flights, expected/arrived status, assistance given.
CREATE TABLE flights (
    id TEXT PRIMARY KEY NOT NULL,
    code TEXT NOT NULL UNIQUE,
    origin_airport TEXT NOT NULL,
    scheduled_at TIMESTAMP NOT NULL,
    landed_at TIMESTAMP,
    status TEXT NOT NULL CHECK (status IN ('SCHEDULED', 'LANDED', 'CANCELLED')),
    created_by TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX flights_schedule_idx ON flights (scheduled_at, id);

ALTER TABLE arrivals ADD COLUMN flight_id TEXT REFERENCES flights (id);
ALTER TABLE arrivals ADD COLUMN status TEXT NOT NULL DEFAULT 'ARRIVED' CHECK (status IN ('EXPECTED', 'ARRIVED'));
ALTER TABLE arrivals ADD COLUMN manifest_line INTEGER;
CREATE INDEX arrivals_flight_idx ON arrivals (flight_id, status);
CREATE UNIQUE INDEX arrivals_flight_person_idx ON arrivals (flight_id, migrant_id);
CREATE INDEX migrants_birth_idx ON migrants (birth_date);

CREATE TABLE assistance (
    id TEXT PRIMARY KEY NOT NULL,
    migrant_id TEXT NOT NULL REFERENCES migrants (id),
    arrival_id TEXT REFERENCES arrivals (id),
    kind TEXT NOT NULL CHECK (kind IN ('RECEPTION', 'FOOD_RATION', 'MEDICAL_AID', 'PHONE_CALL', 'TRANSPORT')),
    given_at TIMESTAMP NOT NULL,
    given_by TEXT NOT NULL,
    institution_code TEXT NOT NULL REFERENCES institutions (code),
    destination_municipality_code TEXT REFERENCES municipalities (code),
    notes TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX assistance_migrant_idx ON assistance (migrant_id, given_at);
CREATE INDEX assistance_arrival_idx ON assistance (arrival_id, kind);
