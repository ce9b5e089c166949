-- Matching reads candidates one stratum at a time (docs/matching.md): the
-- people with one unit group, living at one distance from the job, with
-- one number of counted years, in id order. Each occupation row therefore
-- carries its person's origin (kept in step by the triggers below) and the
-- years that scoring counts (at most 10, `service::matching::points::MAX_YEARS`;
-- a test checks the two agree).
ALTER TABLE migrant_occupations ADD COLUMN department_code TEXT;
ALTER TABLE migrant_occupations ADD COLUMN municipality_code TEXT;
ALTER TABLE migrant_occupations
    ADD COLUMN years_counted INTEGER GENERATED ALWAYS AS (MIN(COALESCE(years, 0), 10)) VIRTUAL;

UPDATE migrant_occupations
SET department_code = (SELECT m.origin_department_code FROM migrants m WHERE m.id = migrant_occupations.migrant_id),
    municipality_code = (SELECT m.origin_municipality_code FROM migrants m WHERE m.id = migrant_occupations.migrant_id);

-- SQLite has no INCLUDE: the place rides at the end of the key.
CREATE INDEX migrant_occupations_near_idx
    ON migrant_occupations (isco_code, department_code, years_counted, migrant_id, municipality_code);
CREATE INDEX migrant_occupations_years_idx
    ON migrant_occupations (isco_code, years_counted, migrant_id, department_code, municipality_code);

-- A row written without a place takes its person's origin.
CREATE TRIGGER migrant_occupations_origin_on_insert
AFTER INSERT ON migrant_occupations
FOR EACH ROW
WHEN NEW.department_code IS NULL AND NEW.municipality_code IS NULL
BEGIN
    UPDATE migrant_occupations
    SET department_code = (SELECT origin_department_code FROM migrants WHERE id = NEW.migrant_id),
        municipality_code = (SELECT origin_municipality_code FROM migrants WHERE id = NEW.migrant_id)
    WHERE migrant_id = NEW.migrant_id AND position = NEW.position;
END;

-- A person's new origin reaches their occupation rows.
CREATE TRIGGER migrants_origin_follows
AFTER UPDATE OF origin_department_code, origin_municipality_code ON migrants
FOR EACH ROW
WHEN OLD.origin_department_code IS NOT NEW.origin_department_code
  OR OLD.origin_municipality_code IS NOT NEW.origin_municipality_code
BEGIN
    UPDATE migrant_occupations
    SET department_code = NEW.origin_department_code,
        municipality_code = NEW.origin_municipality_code
    WHERE migrant_id = NEW.id;
END;
