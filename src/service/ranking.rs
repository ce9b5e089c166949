//! Exact top-K ranking of people for a vacancy or a course without
//! scoring everyone.
//!
//! The candidates are split into strata by the two things that weigh
//! most in a score: how closely their best occupation matches the target
//! (unit, minor, sub-major group…) and where they live (the same
//! municipality, the same department, elsewhere). Each stratum has a
//! ceiling: the score of an ideal person in it (most years counted, every
//! certification, every language). Strata are read highest ceiling first;
//! the search stops as soon as the page's last wanted score is above the
//! next ceiling, because nobody left unread can outrank it. The result is
//! the same ranking a full scan gives (score descending, then id), and
//! `tests` below checks that against a full sort on random data.

use std::collections::HashSet;

use super::matching::{points::MAX_YEARS, shared_prefix, Profile, Scored};
use crate::domain::isco;

/// Where a person lives, seen from the place of the thing matched.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Nearness {
    /// In its municipality.
    Municipality,
    /// In its department, another municipality (or none known).
    Department,
    /// Anywhere else, or unknown.
    Elsewhere,
}

/// One part of the candidates, read in id order: the people with an
/// occupation row of unit group `unit` with `years` counted years (any,
/// when the scorer ignores years) who live at `near`. A person's own
/// stratum is that of their best occupation row; their score is at most
/// its ceiling.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Stratum {
    /// ISCO-08 unit group (four digits).
    pub unit: &'static str,
    /// Counted years of that occupation, when the ceiling depends on them.
    pub years: Option<i32>,
    /// Where they live.
    pub near: Nearness,
}

/// What the candidates are matched against.
#[derive(Clone, Debug)]
pub struct Target<'a> {
    /// The target's ISCO-08 code (1, 2 or 4 digits).
    pub code: &'a str,
    /// The fewest leading digits a candidate's occupation shares with it.
    pub widest: usize,
    /// Where the vacancy or course is.
    pub municipality: &'a str,
    /// Its department.
    pub department: &'a str,
    /// Languages every candidate speaks (the scorer requires them).
    pub languages: &'a [String],
    /// Certifications the scorer rewards, folded.
    pub certifications: Vec<String>,
}

impl Target<'_> {
    /// The leading digits every candidate's occupation shares.
    pub fn group(&self) -> &str {
        &self.code[..self.widest.min(self.code.len())]
    }
}

/// The best profile a person of stratum `s` could have for `t`.
fn ideal(t: &Target<'_>, s: Stratum) -> Profile {
    use crate::domain::person::{EducationLevel, EnglishLevel};
    let (municipality, department) = match s.near {
        Nearness::Municipality => (Some(t.municipality), Some(t.department)),
        Nearness::Department => (None, Some(t.department)),
        Nearness::Elsewhere => (None, None),
    };
    Profile {
        occupations: vec![(s.unit.to_string(), Some(s.years.unwrap_or(i32::MAX)))],
        languages: t.languages.to_vec(),
        certifications: t.certifications.clone(),
        education: Some(EducationLevel::Postgraduate),
        english: Some(EnglishLevel::Fluent),
        municipality_code: municipality.map(str::to_string),
        department_code: department.map(str::to_string),
    }
}

/// Every stratum of `t` anyone could score in, with its ceiling, highest
/// ceiling first (then closer occupation, more years, lower code). Years
/// split a unit's strata only when the scorer counts them.
pub fn strata<S>(t: &Target<'_>, score: S) -> Vec<(Stratum, i32)>
where
    S: Fn(&Profile) -> Option<Scored>,
{
    let ceiling = |s: Stratum| score(&ideal(t, s)).map(|x| (s, x.score));
    let places = [
        Nearness::Municipality,
        Nearness::Department,
        Nearness::Elsewhere,
    ];
    let mut out = Vec::new();
    for unit in units_under(t.group()) {
        for near in places {
            let by_year: Vec<(Stratum, i32)> = (0..=MAX_YEARS)
                .filter_map(|y| {
                    ceiling(Stratum {
                        unit,
                        years: Some(y),
                        near,
                    })
                })
                .collect();
            if by_year.windows(2).all(|w| w[0].1 == w[1].1) {
                out.extend(ceiling(Stratum {
                    unit,
                    years: None,
                    near,
                }));
            } else {
                out.extend(by_year);
            }
        }
    }
    out.sort_by(|a, b| {
        let depth = |s: &Stratum| shared_prefix(s.unit, t.code);
        (b.1.cmp(&a.1))
            .then(depth(&b.0).cmp(&depth(&a.0)))
            .then(b.0.years.cmp(&a.0.years))
            .then(a.0.unit.cmp(b.0.unit))
    });
    out
}

/// The ISCO-08 unit groups under `group`, in code order.
fn units_under(group: &str) -> Vec<&'static str> {
    isco::all()
        .filter(|o| o.level == isco::IscoLevel::Unit && o.code.starts_with(group))
        .map(|o| o.code.as_str())
        .collect()
}

/// Best first: score descending, then id ascending.
fn better(a: &(Scored, String), b: &(Scored, String)) -> std::cmp::Ordering {
    b.0.score.cmp(&a.0.score).then_with(|| a.1.cmp(&b.1))
}

/// The best `want` scored people after a cursor, kept in bounded memory.
#[derive(Debug)]
pub struct TopK {
    want: usize,
    after: Option<(i64, String)>,
    kept: Vec<(Scored, String)>,
    seen: HashSet<String>,
}

impl TopK {
    /// Keeps the best `want` people ranked after `after` (score, id).
    pub fn new(want: usize, after: Option<(i64, String)>) -> Self {
        TopK {
            want,
            after,
            kept: Vec::new(),
            seen: HashSet::new(),
        }
    }

    /// Whether `id` was offered already (a person has a row in several
    /// strata; their score is the same from each).
    pub fn has_seen(&self, id: &str) -> bool {
        self.seen.contains(id)
    }

    /// Offers one scored person (again: ignored).
    pub fn offer(&mut self, scored: Scored, id: String) {
        if !self.seen.insert(id.clone()) {
            return;
        }
        let behind = match &self.after {
            Some((s, aid)) => {
                let score = i64::from(scored.score);
                score < *s || (score == *s && id > *aid)
            }
            None => true,
        };
        if behind && self.want > 0 {
            self.kept.push((scored, id));
            if self.kept.len() >= self.want * 2 + 64 {
                self.trim();
            }
        }
    }

    fn trim(&mut self) {
        self.kept.sort_by(better);
        self.kept.truncate(self.want);
    }

    /// The last person of the result as it stands, once it is full.
    fn last(&mut self) -> Option<&(Scored, String)> {
        if self.kept.len() < self.want {
            return None;
        }
        self.trim();
        self.kept.last()
    }

    /// Whether nobody scoring at most `ceiling` can enter the result.
    pub fn closed_above(&mut self, ceiling: i32) -> bool {
        self.want == 0 || self.last().is_some_and(|(s, _)| s.score > ceiling)
    }

    /// Whether nobody scoring at most `ceiling` with an id above
    /// `last_read` can enter the result: the rest of a stratum read in id
    /// order up to `last_read` cannot.
    pub fn closed_after(&mut self, ceiling: i32, last_read: &str) -> bool {
        self.want == 0
            || self.last().is_some_and(|(s, id)| {
                s.score > ceiling || (s.score == ceiling && id.as_str() <= last_read)
            })
    }

    /// The kept people, best first.
    pub fn into_ranked(mut self) -> Vec<(Scored, String)> {
        self.trim();
        self.kept
    }
}

/// One chunk of a stratum read: the last id it held, if it was full
/// (more may follow).
pub type Chunk = Option<String>;

/// Reads strata best ceiling first, each in id order in growing chunks
/// through `load(stratum, after_id, limit, top)` (which offers each
/// person read to the [`TopK`] and says where it stopped), until no
/// unread row can change the result.
pub fn search<E, L>(strata: &[(Stratum, i32)], mut top: TopK, mut load: L) -> Result<TopK, E>
where
    L: FnMut(Stratum, Option<&str>, i64, &mut TopK) -> Result<Chunk, E>,
{
    let first = (top.want as i64 * 3).clamp(16, MAX_CHUNK);
    for &(stratum, ceiling) in strata {
        if top.closed_above(ceiling) {
            break;
        }
        let (mut after, mut limit) = (None::<String>, first);
        while let Some(last) = load(stratum, after.as_deref(), limit, &mut top)? {
            if top.closed_after(ceiling, &last) {
                break;
            }
            after = Some(last);
            limit = (limit * 4).min(MAX_CHUNK);
        }
    }
    Ok(top)
}

/// Most rows read by one chunk.
const MAX_CHUNK: i64 = 4_000;

#[cfg(test)]
#[path = "ranking_tests.rs"]
mod tests;
