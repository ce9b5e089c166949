//! A person's structured SKILLS as child rows of `migrants`: occupations
//! (ISCO-08 unit groups), languages (ISO 639-3) and certifications. Rows
//! keep the order they were given in (`position`); a write replaces all
//! three lists of a person. The education history (`db::education`) is
//! loaded with them, but written by its own mutations: its records have
//! ids that study applications cite, so `replace` leaves it alone.

use std::collections::HashMap;

use diesel::prelude::*;

use super::education::{self, EducationRow};
use super::schema::{migrant_certifications, migrant_languages, migrant_occupations};
use super::DbConnection;

/// One occupation a person has worked in.
#[derive(Queryable, Selectable, Insertable, Clone, Debug, PartialEq, Eq)]
#[diesel(table_name = migrant_occupations, treat_none_as_default_value = false)]
pub struct OccupationRow {
    pub migrant_id: String,
    pub position: i32,
    /// ISCO-08 unit group (four digits).
    pub isco_code: String,
    pub years: Option<i32>,
    /// `GT` or `US`; none when unknown (records migrated from free text).
    pub country: Option<String>,
    /// The person's origin department, copied for matching. Left none on
    /// write, the database copies it (and keeps it in step on a move).
    pub department_code: Option<String>,
    /// The person's origin municipality, copied the same way.
    pub municipality_code: Option<String>,
}

/// One language a person speaks.
#[derive(Queryable, Selectable, Insertable, Clone, Debug, PartialEq, Eq)]
#[diesel(table_name = migrant_languages, treat_none_as_default_value = false)]
pub struct LanguageRow {
    pub migrant_id: String,
    pub position: i32,
    /// ISO 639-3.
    pub code: String,
}

/// One certification a person holds.
#[derive(Queryable, Selectable, Insertable, Clone, Debug, PartialEq, Eq)]
#[diesel(table_name = migrant_certifications, treat_none_as_default_value = false)]
pub struct CertificationRow {
    pub migrant_id: String,
    pub position: i32,
    pub name: String,
    /// `domain::person::fold` of the name, for the `certification` filter.
    pub search_name: String,
}

/// The skill lists of one or more people.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SkillRows {
    pub occupations: Vec<OccupationRow>,
    pub languages: Vec<LanguageRow>,
    pub certifications: Vec<CertificationRow>,
    /// Studies begun or completed, oldest record first.
    pub education: Vec<EducationRow>,
}

impl SkillRows {
    /// Appends `other`'s rows (building a batch for a bulk insert).
    pub fn extend(&mut self, other: SkillRows) {
        self.occupations.extend(other.occupations);
        self.languages.extend(other.languages);
        self.certifications.extend(other.certifications);
        self.education.extend(other.education);
    }

    /// Splits rows by person, with an empty entry for every id in `ids`.
    pub fn by_migrant(self, ids: &[String]) -> HashMap<String, SkillRows> {
        let mut out: HashMap<String, SkillRows> = ids
            .iter()
            .map(|k| (k.clone(), SkillRows::default()))
            .collect();
        for r in self.occupations {
            out.entry(r.migrant_id.clone())
                .or_default()
                .occupations
                .push(r);
        }
        for r in self.languages {
            out.entry(r.migrant_id.clone())
                .or_default()
                .languages
                .push(r);
        }
        for r in self.certifications {
            out.entry(r.migrant_id.clone())
                .or_default()
                .certifications
                .push(r);
        }
        for r in self.education {
            out.entry(r.migrant_id.clone())
                .or_default()
                .education
                .push(r);
        }
        out
    }
}

/// The skill lists of the people `ids`, in order (four statements; none
/// for no people).
pub fn for_migrants(conn: &mut DbConnection, ids: &[String]) -> QueryResult<SkillRows> {
    if ids.is_empty() {
        return Ok(SkillRows::default());
    }
    Ok(SkillRows {
        occupations: migrant_occupations::table
            .filter(migrant_occupations::migrant_id.eq_any(ids))
            .order((
                migrant_occupations::migrant_id,
                migrant_occupations::position,
            ))
            .select(OccupationRow::as_select())
            .load(conn)?,
        languages: migrant_languages::table
            .filter(migrant_languages::migrant_id.eq_any(ids))
            .order((migrant_languages::migrant_id, migrant_languages::position))
            .select(LanguageRow::as_select())
            .load(conn)?,
        certifications: migrant_certifications::table
            .filter(migrant_certifications::migrant_id.eq_any(ids))
            .order((
                migrant_certifications::migrant_id,
                migrant_certifications::position,
            ))
            .select(CertificationRow::as_select())
            .load(conn)?,
        education: education::for_migrants(conn, ids)?,
    })
}

/// Replaces every skill list of one person with `rows` (call inside the
/// write's transaction).
pub fn replace(conn: &mut DbConnection, migrant_id: &str, rows: &SkillRows) -> QueryResult<()> {
    use migrant_certifications as c;
    use migrant_languages as l;
    use migrant_occupations as o;
    diesel::delete(o::table.filter(o::migrant_id.eq(migrant_id))).execute(conn)?;
    diesel::delete(l::table.filter(l::migrant_id.eq(migrant_id))).execute(conn)?;
    diesel::delete(c::table.filter(c::migrant_id.eq(migrant_id))).execute(conn)?;
    insert_many(conn, rows)
}

/// Inserts rows in multi-row statements (writes and bulk loads), the
/// education records included.
pub fn insert_many(conn: &mut DbConnection, rows: &SkillRows) -> QueryResult<()> {
    crate::bulk_insert!(conn, migrant_occupations::table, &rows.occupations[..])?;
    crate::bulk_insert!(conn, migrant_languages::table, &rows.languages[..])?;
    crate::bulk_insert!(
        conn,
        migrant_certifications::table,
        &rows.certifications[..]
    )?;
    education::insert_many(conn, &rows.education)
}
