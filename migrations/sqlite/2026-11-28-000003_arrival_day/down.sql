-- SQLite cannot drop a foreign-key column: rebuild arrivals as it was.
DROP INDEX migrants_birth_idx;
DROP TABLE assistance;
CREATE TABLE arrivals_previous (
    id TEXT PRIMARY KEY NOT NULL,
    migrant_id TEXT NOT NULL REFERENCES migrants (id),
    arrived_at TIMESTAMP NOT NULL,
    flight_code TEXT,
    us_state TEXT,
    months_in_us INTEGER,
    recorded_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
INSERT INTO arrivals_previous (id, migrant_id, arrived_at, flight_code, us_state, months_in_us, recorded_by, created_at)
    SELECT id, migrant_id, arrived_at, flight_code, us_state, months_in_us, recorded_by, created_at FROM arrivals;
DROP TABLE arrivals;
ALTER TABLE arrivals_previous RENAME TO arrivals;
CREATE INDEX arrivals_migrant_idx ON arrivals (migrant_id, arrived_at);
CREATE INDEX arrivals_time_idx ON arrivals (arrived_at, migrant_id);
DROP TABLE flights;
