-- Matching reads candidates one stratum at a time (docs/matching.md): the
-- people with one unit group, living at one distance from the job, with
-- one number of counted years, in id order. Each occupation row therefore
-- carries its person's origin (kept in step by the triggers below) and the
-- years that scoring counts (at most 10, `service::matching::points::MAX_YEARS`;
-- a test checks the two agree).
ALTER TABLE migrant_occupations
    ADD COLUMN department_code TEXT,
    ADD COLUMN municipality_code TEXT,
    ADD COLUMN years_counted INTEGER GENERATED ALWAYS AS (LEAST(COALESCE(years, 0), 10)) STORED;

UPDATE migrant_occupations o
SET department_code = m.origin_department_code, municipality_code = m.origin_municipality_code
FROM migrants m
WHERE m.id = o.migrant_id;

CREATE INDEX migrant_occupations_near_idx
    ON migrant_occupations (isco_code, department_code, years_counted, migrant_id)
    INCLUDE (municipality_code);
CREATE INDEX migrant_occupations_years_idx
    ON migrant_occupations (isco_code, years_counted, migrant_id)
    INCLUDE (department_code, municipality_code);

-- A row written without a place takes its person's origin.
CREATE FUNCTION migrant_occupations_take_origin() RETURNS trigger AS $$
BEGIN
    SELECT origin_department_code, origin_municipality_code
    INTO NEW.department_code, NEW.municipality_code
    FROM migrants WHERE id = NEW.migrant_id;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER migrant_occupations_origin_on_insert
    BEFORE INSERT ON migrant_occupations
    FOR EACH ROW
    WHEN (NEW.department_code IS NULL AND NEW.municipality_code IS NULL)
    EXECUTE FUNCTION migrant_occupations_take_origin();

-- A person's new origin reaches their occupation rows.
CREATE FUNCTION migrants_origin_to_occupations() RETURNS trigger AS $$
BEGIN
    UPDATE migrant_occupations
    SET department_code = NEW.origin_department_code,
        municipality_code = NEW.origin_municipality_code
    WHERE migrant_id = NEW.id;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER migrants_origin_follows
    AFTER UPDATE OF origin_department_code, origin_municipality_code ON migrants
    FOR EACH ROW
    WHEN (OLD.origin_department_code IS DISTINCT FROM NEW.origin_department_code
          OR OLD.origin_municipality_code IS DISTINCT FROM NEW.origin_municipality_code)
    EXECUTE FUNCTION migrants_origin_to_occupations();
