DROP TRIGGER migrants_origin_follows;
DROP TRIGGER migrant_occupations_origin_on_insert;
DROP INDEX migrant_occupations_years_idx;
DROP INDEX migrant_occupations_near_idx;
ALTER TABLE migrant_occupations DROP COLUMN years_counted;
ALTER TABLE migrant_occupations DROP COLUMN municipality_code;
ALTER TABLE migrant_occupations DROP COLUMN department_code;
