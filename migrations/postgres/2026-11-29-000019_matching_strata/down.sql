DROP TRIGGER migrants_origin_follows ON migrants;
DROP FUNCTION migrants_origin_to_occupations();
DROP TRIGGER migrant_occupations_origin_on_insert ON migrant_occupations;
DROP FUNCTION migrant_occupations_take_origin();
DROP INDEX migrant_occupations_years_idx;
DROP INDEX migrant_occupations_near_idx;
ALTER TABLE migrant_occupations
    DROP COLUMN years_counted,
    DROP COLUMN municipality_code,
    DROP COLUMN department_code;
