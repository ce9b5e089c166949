-- The name search (`migrants(filter: {name})`) and the search for a person
-- already on record read this word index instead of scanning every folded
-- name with LIKE. One row per distinct word of `migrants.search_name`,
-- written with the name by `db::name_words` (the same code on both
-- backends: SQLite triggers cannot split a string). Words compare byte by
-- byte (COLLATE "C"), so a prefix is one index range whatever the
-- database's locale, exactly as on SQLite.
CREATE TABLE migrant_name_words (
    migrant_id TEXT NOT NULL REFERENCES migrants (id),
    word TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (migrant_id, word)
);

INSERT INTO migrant_name_words (migrant_id, word)
SELECT DISTINCT m.id, w.word
FROM migrants m, regexp_split_to_table(m.search_name, ' ') AS w (word)
WHERE w.word <> '';

CREATE INDEX migrant_name_words_word_idx ON migrant_name_words (word, migrant_id);

-- A B-tree on the whole folded name never served `LIKE '%word%'`; it only
-- cost every write and every seed an index to maintain.
DROP INDEX migrants_search_idx;

ANALYZE migrant_name_words;
