-- Back to JSON text lists on `migrants` (occupations come back as their
-- ISCO-08 codes: the free-text words they were mapped from are not kept).
ALTER TABLE migrants ADD COLUMN occupations TEXT NOT NULL DEFAULT '[]';
ALTER TABLE migrants ADD COLUMN languages TEXT NOT NULL DEFAULT '[]';
ALTER TABLE migrants ADD COLUMN certifications TEXT NOT NULL DEFAULT '[]';
UPDATE migrants SET occupations = (SELECT json_group_array(isco_code) FROM (SELECT isco_code FROM migrant_occupations c WHERE c.migrant_id = migrants.id ORDER BY position))
WHERE EXISTS (SELECT 1 FROM migrant_occupations c WHERE c.migrant_id = migrants.id);
UPDATE migrants SET languages = (SELECT json_group_array(code) FROM (SELECT code FROM migrant_languages c WHERE c.migrant_id = migrants.id ORDER BY position))
WHERE EXISTS (SELECT 1 FROM migrant_languages c WHERE c.migrant_id = migrants.id);
UPDATE migrants SET certifications = (SELECT json_group_array(name) FROM (SELECT name FROM migrant_certifications c WHERE c.migrant_id = migrants.id ORDER BY position))
WHERE EXISTS (SELECT 1 FROM migrant_certifications c WHERE c.migrant_id = migrants.id);
DROP TABLE migrant_certifications;
DROP TABLE migrant_languages;
DROP TABLE migrant_occupations;
DROP TABLE occupations;
