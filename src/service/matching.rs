//! Explainable job matching: the pure scoring of one person against one
//! vacancy. No database here; `db::matching` finds the candidates and
//! `graphql::labour::matches` serves the results. The points are
//! documented in `docs/matching.md`; every point of a score comes from
//! exactly one reason, so the reasons always add up to the score.

use async_graphql::Enum;

use crate::domain::isco;
use crate::domain::person::{fold, EducationLevel, EnglishLevel, StoredEnum};

/// Most candidates scored for one request (see `docs/matching.md`).
pub const MAX_CANDIDATES: i64 = 5_000;

/// Points of each reason.
pub mod points {
    /// Worked in the vacancy's unit group (four digits).
    pub const SAME_UNIT: i32 = 40;
    /// Worked in its minor group (three digits).
    pub const SAME_MINOR: i32 = 25;
    /// Worked in its sub-major group (two digits).
    pub const SAME_SUB_MAJOR: i32 = 15;
    /// Worked in its major group (one digit; course targets only).
    pub const SAME_MAJOR: i32 = 8;
    /// Per year in that best occupation, up to [`MAX_YEARS`].
    pub const PER_YEAR: i32 = 2;
    /// Years counted at most.
    pub const MAX_YEARS: i32 = 10;
    /// Education at or above the vacancy's minimum.
    pub const EDUCATION: i32 = 10;
    /// Per required language spoken.
    pub const LANGUAGE: i32 = 5;
    /// English at or above the vacancy's minimum.
    pub const ENGLISH: i32 = 10;
    /// Per required certification held.
    pub const REQUIRED_CERTIFICATION: i32 = 5;
    /// Per preferred certification held.
    pub const PREFERRED_CERTIFICATION: i32 = 2;
    /// Lives in the vacancy's municipality.
    pub const SAME_MUNICIPALITY: i32 = 15;
    /// Lives in the vacancy's department (another municipality).
    pub const SAME_DEPARTMENT: i32 = 8;
}

/// Why a match earned points.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum MatchReasonKind {
    /// Worked in the vacancy's unit group.
    OccupationUnit,
    /// Worked in the vacancy's minor group.
    OccupationMinor,
    /// Worked in the vacancy's sub-major group.
    OccupationSubMajor,
    /// Worked in a course's target major group (one digit).
    OccupationMajor,
    /// Years in that occupation.
    Experience,
    /// Education at or above the minimum.
    Education,
    /// Speaks a language the job needs.
    Language,
    /// English at or above the minimum.
    English,
    /// Holds a required or preferred certification.
    Certification,
    /// Lives in the vacancy's municipality.
    SameMunicipality,
    /// Lives in the vacancy's department.
    SameDepartment,
}

/// One reason and its points.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reason {
    /// What it is.
    pub kind: MatchReasonKind,
    /// Points it adds.
    pub points: i32,
    /// Human-readable explanation.
    pub detail: String,
}

/// A score and the reasons that add up to it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scored {
    /// Sum of the reasons' points.
    pub score: i32,
    /// The reasons, in a fixed order.
    pub reasons: Vec<Reason>,
}

/// What a vacancy asks for, in the terms scoring needs.
#[derive(Clone, Debug, Default)]
pub struct Needs {
    /// ISCO-08 unit group, four digits.
    pub isco_code: String,
    /// Minimum education, if any.
    pub min_education: Option<EducationLevel>,
    /// Required languages (ISO 639-3).
    pub languages: Vec<String>,
    /// Minimum English, if any.
    pub min_english: Option<EnglishLevel>,
    /// Required certifications, as written.
    pub required_certifications: Vec<String>,
    /// Preferred certifications, as written.
    pub preferred_certifications: Vec<String>,
    /// Where the job is.
    pub municipality_code: String,
    /// Its department.
    pub department_code: String,
}

/// What is known of a person, in the terms scoring needs.
#[derive(Clone, Debug, Default)]
pub struct Profile {
    /// (ISCO-08 unit code, years) of each occupation.
    pub occupations: Vec<(String, Option<i32>)>,
    /// Languages spoken (ISO 639-3).
    pub languages: Vec<String>,
    /// Folded names of the certifications held.
    pub certifications: Vec<String>,
    /// Education level.
    pub education: Option<EducationLevel>,
    /// English level.
    pub english: Option<EnglishLevel>,
    /// Origin municipality.
    pub municipality_code: Option<String>,
    /// Origin department.
    pub department_code: Option<String>,
}

/// A code with its title, for details (`7112 Bricklayers…`).
pub fn title(code: &str) -> String {
    match isco::lookup(code) {
        Some(o) => format!("{code} {}", o.title),
        None => code.to_string(),
    }
}

/// How many leading digits two codes share.
pub fn shared_prefix(a: &str, b: &str) -> usize {
    a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count()
}

/// The best occupation: most shared leading digits (at least two), then
/// most years, then lowest code.
fn best_occupation(needs: &Needs, p: &Profile) -> Option<(usize, String, i32)> {
    p.occupations
        .iter()
        .map(|(code, years)| {
            let depth = shared_prefix(code, &needs.isco_code).min(4);
            (depth, code.clone(), years.unwrap_or(0).max(0))
        })
        .filter(|(depth, _, _)| *depth >= 2)
        .max_by(|a, b| (a.0, a.2).cmp(&(b.0, b.2)).then_with(|| b.1.cmp(&a.1)))
}

/// Scores `p` for `needs`; `None` when the person is excluded (no
/// occupation in the vacancy's sub-major group, or below a minimum, or
/// missing a required language).
pub fn score(needs: &Needs, p: &Profile) -> Option<Scored> {
    let mut reasons = Vec::new();
    let (depth, code, years) = best_occupation(needs, p)?;
    let (kind, pts, level) = match depth {
        4 => (MatchReasonKind::OccupationUnit, points::SAME_UNIT, "unit"),
        3 => (
            MatchReasonKind::OccupationMinor,
            points::SAME_MINOR,
            "minor",
        ),
        _ => (
            MatchReasonKind::OccupationSubMajor,
            points::SAME_SUB_MAJOR,
            "sub-major",
        ),
    };
    reasons.push(Reason {
        kind,
        points: pts,
        detail: format!(
            "worked as {} (same {level} group as {})",
            title(&code),
            title(&needs.isco_code)
        ),
    });
    let counted = years.min(points::MAX_YEARS);
    if counted > 0 {
        reasons.push(Reason {
            kind: MatchReasonKind::Experience,
            points: counted * points::PER_YEAR,
            detail: format!(
                "{years} years as {code} (counted up to {})",
                points::MAX_YEARS
            ),
        });
    }
    if let Some(min) = needs.min_education {
        let have = p.education.filter(|e| *e >= min)?;
        reasons.push(Reason {
            kind: MatchReasonKind::Education,
            points: points::EDUCATION,
            detail: format!(
                "education {} meets the minimum {}",
                have.stored(),
                min.stored()
            ),
        });
    }
    for lang in &needs.languages {
        if !p.languages.contains(lang) {
            return None;
        }
        reasons.push(Reason {
            kind: MatchReasonKind::Language,
            points: points::LANGUAGE,
            detail: format!("speaks {lang}"),
        });
    }
    if let Some(min) = needs.min_english {
        let have = p.english.filter(|e| *e >= min)?;
        reasons.push(Reason {
            kind: MatchReasonKind::English,
            points: points::ENGLISH,
            detail: format!(
                "English {} meets the minimum {}",
                have.stored(),
                min.stored()
            ),
        });
    }
    let certs = [
        (
            &needs.required_certifications,
            points::REQUIRED_CERTIFICATION,
            "required",
        ),
        (
            &needs.preferred_certifications,
            points::PREFERRED_CERTIFICATION,
            "preferred",
        ),
    ];
    for (names, pts, which) in certs {
        for name in names {
            if p.certifications.contains(&fold(name)) {
                reasons.push(Reason {
                    kind: MatchReasonKind::Certification,
                    points: pts,
                    detail: format!("holds the {which} certification {name:?}"),
                });
            }
        }
    }
    reasons.extend(place(
        &needs.municipality_code,
        &needs.department_code,
        p,
        "job",
    ));
    let score = reasons.iter().map(|r| r.points).sum();
    Some(Scored { score, reasons })
}

/// The place reason of a person for something in `municipality` (of
/// `department`): same municipality, else same department, else none.
/// `what` names the thing in the detail ("job", "course").
pub fn place(municipality: &str, department: &str, p: &Profile, what: &str) -> Option<Reason> {
    if p.municipality_code.as_deref() == Some(municipality) {
        Some(Reason {
            kind: MatchReasonKind::SameMunicipality,
            points: points::SAME_MUNICIPALITY,
            detail: format!("lives in the {what}'s municipality {municipality}"),
        })
    } else if p.department_code.as_deref() == Some(department) {
        Some(Reason {
            kind: MatchReasonKind::SameDepartment,
            points: points::SAME_DEPARTMENT,
            detail: format!("lives in the {what}'s department {department}"),
        })
    } else {
        None
    }
}

/// Orders scored items best first: score descending, then id ascending.
pub fn rank<T>(items: &mut [(Scored, String, T)]) {
    items.sort_by(|a, b| b.0.score.cmp(&a.0.score).then_with(|| a.1.cmp(&b.1)));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn needs() -> Needs {
        Needs {
            isco_code: "7112".into(),
            min_education: Some(EducationLevel::Primary),
            languages: vec!["spa".into()],
            min_english: None,
            required_certifications: vec!["Albañilería básica".into()],
            preferred_certifications: vec!["Seguridad industrial".into()],
            municipality_code: "0101".into(),
            department_code: "01".into(),
        }
    }

    fn person() -> Profile {
        Profile {
            occupations: vec![("7115".into(), Some(3)), ("7112".into(), Some(12))],
            languages: vec!["spa".into(), "quc".into()],
            certifications: vec!["albanileria basica".into()],
            education: Some(EducationLevel::LowerSecondary),
            english: None,
            municipality_code: Some("0102".into()),
            department_code: Some("01".into()),
        }
    }

    #[test]
    fn reasons_add_up_and_pick_the_best_occupation() {
        let s = score(&needs(), &person()).unwrap();
        assert_eq!(s.score, s.reasons.iter().map(|r| r.points).sum::<i32>());
        // 40 unit + 20 years (capped) + 10 education + 5 spa + 5 cert + 8 department.
        assert_eq!(s.score, 88);
        assert_eq!(s.reasons[0].kind, MatchReasonKind::OccupationUnit);
    }

    #[test]
    fn minimums_and_languages_exclude() {
        let mut p = person();
        p.education = Some(EducationLevel::None);
        assert!(score(&needs(), &p).is_none());
        let mut p = person();
        p.languages = vec!["quc".into()];
        assert!(score(&needs(), &p).is_none());
        let mut n = needs();
        n.min_english = Some(EnglishLevel::Basic);
        assert!(score(&n, &person()).is_none());
        let mut p = person();
        p.occupations = vec![("7211".into(), Some(5))];
        assert!(score(&needs(), &p).is_none());
        p.occupations = vec![("7122".into(), None)];
        let s = score(&needs(), &p).unwrap();
        assert_eq!(s.reasons[0].kind, MatchReasonKind::OccupationSubMajor);
    }
}
