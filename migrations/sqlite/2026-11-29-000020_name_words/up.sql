-- The name search (`migrants(filter: {name})`) and the search for a person
-- already on record read this word index instead of scanning every folded
-- name with LIKE. One row per distinct word of `migrants.search_name`,
-- written with the name by `db::name_words` (the same code on both
-- backends: SQLite triggers cannot split a string). Words compare byte by
-- byte (BINARY), so a prefix is one index range, as on PostgreSQL. The
-- rows are their primary key (WITHOUT ROWID): one B-tree, not two.
CREATE TABLE migrant_name_words (
    migrant_id TEXT NOT NULL REFERENCES migrants (id),
    word TEXT NOT NULL,
    PRIMARY KEY (migrant_id, word)
) WITHOUT ROWID;

WITH RECURSIVE split (migrant_id, word, rest) AS (
    SELECT id, '', search_name || ' ' FROM migrants
    UNION ALL
    SELECT migrant_id, substr(rest, 1, instr(rest, ' ') - 1), substr(rest, instr(rest, ' ') + 1)
    FROM split
    WHERE rest <> ''
)
INSERT INTO migrant_name_words (migrant_id, word)
SELECT DISTINCT migrant_id, word FROM split WHERE word <> '';

CREATE INDEX migrant_name_words_word_idx ON migrant_name_words (word, migrant_id);

-- A B-tree on the whole folded name never served `LIKE '%word%'`; it only
-- cost every write and every seed an index to maintain.
DROP INDEX migrants_search_idx;

ANALYZE migrant_name_words;
