CREATE INDEX migrants_search_idx ON migrants (search_name);
DROP TABLE migrant_name_words;
