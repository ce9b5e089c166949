//! The word index of people's names (`migrant_name_words`): one row per
//! distinct word of a person's folded name. The name search and the search
//! for a person already on record read it as index ranges instead of
//! scanning every name with `LIKE '%word%'`.
//!
//! Every write of `migrants.search_name` goes through this module in the
//! same transaction ([`super::migrants::insert`], `update_if_version`, the
//! erasure; a bulk load calls [`index_missing`] before it commits), so the
//! index never disagrees with the names: `tests/api/search.rs` checks it
//! after every kind of write, `tests/api/seed.rs` after a seed.

use diesel::dsl::exists;
use diesel::prelude::*;

use super::schema::{migrant_name_words as w, migrants};
use super::scope::ScopedMigrants;
use super::DbConnection;

diesel::alias!(
    w as second_word: SecondWord,
    w as other_word: OtherWord
);

/// Restricts `q` to the people whose name has, for every word of
/// `folded_query`, a word starting with it.
///
/// The longest two query words (usually the rarest) are an explicit join
/// of two index ranges: the planner then estimates their intersection
/// from both ranges and reads it from the index when it is small, instead
/// of walking the whole list in page order probing each person. Further
/// words are probes of what that leaves.
pub fn restrict(q: ScopedMigrants<'static>, folded_query: &str) -> ScopedMigrants<'static> {
    let mut words = words_of(folded_query);
    words.sort_by_key(|x| std::cmp::Reverse(x.len()));
    let Some((first, rest)) = words.split_first() else {
        return q;
    };
    let (lo, hi) = range(first);
    let driver = w::table.filter(w::word.ge(lo)).filter(w::word.lt(hi));
    let q = match rest.first() {
        None => q.filter(migrants::id.eq_any(driver.select(w::migrant_id))),
        Some(second) => {
            let (lo, hi) = range(second);
            let joined = second_word.on(second_word
                .field(w::migrant_id)
                .eq(w::migrant_id)
                .and(second_word.field(w::word).ge(lo))
                .and(second_word.field(w::word).lt(hi)));
            q.filter(migrants::id.eq_any(driver.inner_join(joined).select(w::migrant_id)))
        }
    };
    rest.iter().skip(1).fold(q, |q, word| {
        let (lo, hi) = range(word);
        q.filter(exists(
            other_word
                .filter(other_word.field(w::migrant_id).eq(migrants::id))
                .filter(other_word.field(w::word).ge(lo))
                .filter(other_word.field(w::word).lt(hi)),
        ))
    })
}

/// The index range of the words starting with `prefix`.
fn range(prefix: &str) -> (String, String) {
    (prefix.to_string(), prefix_end(prefix))
}

/// One word of one person's folded name.
#[derive(Insertable, Queryable, Clone, Debug, PartialEq, Eq)]
#[diesel(table_name = w, treat_none_as_default_value = false)]
pub struct NameWordRow {
    pub migrant_id: String,
    pub word: String,
}

/// The distinct words of a folded name (`domain::person::fold` output).
pub fn words_of(search_name: &str) -> Vec<&str> {
    let mut words: Vec<&str> = search_name.split(' ').filter(|x| !x.is_empty()).collect();
    words.sort_unstable();
    words.dedup();
    words
}

/// The index rows of `people`, each given as (id, folded name).
pub fn rows_of<'a>(people: impl IntoIterator<Item = (&'a str, &'a str)>) -> Vec<NameWordRow> {
    people
        .into_iter()
        .flat_map(|(id, name)| {
            words_of(name).into_iter().map(move |word| NameWordRow {
                migrant_id: id.to_string(),
                word: word.to_string(),
            })
        })
        .collect()
}

/// Indexes the names of newly inserted people.
pub fn insert_for<'a>(
    conn: &mut DbConnection,
    people: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> QueryResult<()> {
    let rows = rows_of(people);
    crate::bulk_insert!(conn, w::table, rows.as_slice()).map(|_| ())
}

/// Indexes, in one statement, the names of everyone who has no words in
/// the index yet (after a bulk load). The database splits the names
/// itself, which costs a fraction of sending millions of rows; the split
/// is the same as [`words_of`] (folded names hold single spaces only), and
/// `tests/api/seed.rs` compares the two on a seeded database.
pub fn index_missing(conn: &mut DbConnection) -> QueryResult<usize> {
    let pg = matches!(conn, DbConnection::Pg(_));
    let empty = !diesel::select(diesel::dsl::exists(w::table.select(w::migrant_id)))
        .get_result::<bool>(conn)?;
    // On a fresh database everyone is new. Otherwise the people already
    // indexed are skipped, with statistics first: planned blind, the
    // anti-join can rescan the word table (growing as the statement
    // writes it) once per person.
    let unindexed = if empty {
        ""
    } else {
        if pg {
            diesel::sql_query("ANALYZE migrants, migrant_name_words").execute(conn)?;
        }
        "WHERE NOT EXISTS (SELECT 1 FROM migrant_name_words x WHERE x.migrant_id = m.id)"
    };
    let sql = if pg {
        format!(
            "INSERT INTO migrant_name_words (migrant_id, word) \
             SELECT m.id, w.word FROM migrants m, LATERAL ( \
                 SELECT DISTINCT t.word FROM unnest(string_to_array(m.search_name, ' ')) AS t (word) \
                 WHERE t.word <> '') AS w {unindexed}"
        )
    } else {
        format!(
            "WITH RECURSIVE split (migrant_id, word, rest) AS ( \
                 SELECT id, '', search_name || ' ' FROM migrants m {unindexed} \
                 UNION ALL \
                 SELECT migrant_id, substr(rest, 1, instr(rest, ' ') - 1), substr(rest, instr(rest, ' ') + 1) \
                 FROM split WHERE rest <> '') \
             INSERT OR IGNORE INTO migrant_name_words (migrant_id, word) \
             SELECT migrant_id, word FROM split WHERE word <> ''"
        )
    };
    diesel::sql_query(sql).execute(conn)
}

/// Makes the index of one person's name hold exactly the words of
/// `search_name` (empty after an erasure).
pub fn replace(conn: &mut DbConnection, migrant_id: &str, search_name: &str) -> QueryResult<()> {
    diesel::delete(w::table.filter(w::migrant_id.eq(migrant_id))).execute(conn)?;
    insert_for(conn, [(migrant_id, search_name)])
}

/// The smallest string above every word that starts with `prefix`: its
/// last character moved one code point up. UTF-8 orders bytes as code
/// points, and both backends compare these words byte by byte, so
/// `prefix <= word < prefix_end(prefix)` is one index range.
pub fn prefix_end(prefix: &str) -> String {
    let mut chars: Vec<char> = prefix.chars().collect();
    while let Some(last) = chars.pop() {
        let next = match last as u32 + 1 {
            0xD800 => Some('\u{E000}'),
            n => char::from_u32(n),
        };
        if let Some(c) = next {
            chars.push(c);
            return chars.into_iter().collect();
        }
    }
    // Only a prefix made of U+10FFFF alone gets here; nothing sorts above
    // it but longer runs of itself.
    format!("{prefix}\u{10FFFF}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_distinct_and_never_empty() {
        assert_eq!(words_of("maria  de la maria"), vec!["de", "la", "maria"]);
        assert!(words_of("").is_empty());
    }

    #[test]
    fn a_prefix_range_holds_exactly_the_words_it_starts() {
        assert_eq!(prefix_end("lop"), "loq");
        assert_eq!(prefix_end("garz"), "gar{");
        assert_eq!(prefix_end("a9"), "a:");
        assert_eq!(prefix_end("\u{D7FF}"), "\u{E000}");
        let words = ["lop", "lopez", "lopezz", "lopf", "lo", "loq", "lor", "lopé"];
        let end = prefix_end("lop");
        let inside: Vec<&str> = words
            .iter()
            .copied()
            .filter(|w| w.as_bytes() >= b"lop".as_slice() && w.as_bytes() < end.as_bytes())
            .collect();
        assert_eq!(inside, vec!["lop", "lopez", "lopezz", "lopf", "lopé"]);
    }
}
