DROP TABLE assistance;
DROP INDEX migrants_birth_idx;
DROP INDEX arrivals_flight_person_idx;
DROP INDEX arrivals_flight_idx;
ALTER TABLE arrivals DROP COLUMN manifest_line;
ALTER TABLE arrivals DROP COLUMN status;
ALTER TABLE arrivals DROP COLUMN flight_id;
DROP TABLE flights;
