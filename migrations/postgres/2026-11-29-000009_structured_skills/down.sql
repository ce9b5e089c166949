-- Back to JSON text lists on `migrants` (occupations come back as their
-- ISCO-08 codes: the free-text words they were mapped from are not kept).
ALTER TABLE migrants ADD COLUMN occupations TEXT NOT NULL DEFAULT '[]';
ALTER TABLE migrants ADD COLUMN languages TEXT NOT NULL DEFAULT '[]';
ALTER TABLE migrants ADD COLUMN certifications TEXT NOT NULL DEFAULT '[]';
UPDATE migrants SET occupations = (SELECT CAST(json_agg(isco_code ORDER BY position) AS TEXT) FROM migrant_occupations c WHERE c.migrant_id = migrants.id)
WHERE EXISTS (SELECT 1 FROM migrant_occupations c WHERE c.migrant_id = migrants.id);
UPDATE migrants SET languages = (SELECT CAST(json_agg(code ORDER BY position) AS TEXT) FROM migrant_languages c WHERE c.migrant_id = migrants.id)
WHERE EXISTS (SELECT 1 FROM migrant_languages c WHERE c.migrant_id = migrants.id);
UPDATE migrants SET certifications = (SELECT CAST(json_agg(name ORDER BY position) AS TEXT) FROM migrant_certifications c WHERE c.migrant_id = migrants.id)
WHERE EXISTS (SELECT 1 FROM migrant_certifications c WHERE c.migrant_id = migrants.id);
DROP TABLE migrant_certifications;
DROP TABLE migrant_languages;
DROP TABLE migrant_occupations;
DROP TABLE occupations;
