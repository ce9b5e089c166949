//! Explainable placement in university programmes: the pure scoring of
//! one person against one programme. No database here; `db::study_matching`
//! finds the people and `graphql::studies::matches` serves the results.
//! The points are documented in `docs/universities.md`; every point of a
//! score comes from exactly one reason. What a person still lacks is not
//! a reason for exclusion but a `missing` item ("needs diversificado
//! completed"), so those who need a bridge are visible too.

use async_graphql::Enum;

use crate::domain::person::EducationLevel;
use crate::domain::studies::{self, level_name, Modality, ProgramLevel};

/// Most people scored for one request.
pub const MAX_CANDIDATES: i64 = 5_000;

/// Added to the score of an eligible person for ranking only, so everyone
/// eligible ranks above everyone who still lacks something.
pub const ELIGIBLE_RANK: i64 = 10_000;

/// Points of each reason.
pub mod points {
    /// Education completed at or above the programme's minimum.
    pub const ELIGIBLE: i32 = 30;
    /// Prior studies in the programme's broad field.
    pub const SAME_FIELD: i32 = 20;
    /// Prior studies in a related broad field.
    pub const RELATED_FIELD: i32 = 10;
    /// Per year already completed at the programme's level, up to [`MAX_YEARS`].
    pub const PER_YEAR: i32 = 5;
    /// Years counted at most.
    pub const MAX_YEARS: i32 = 4;
    /// Per language of instruction spoken.
    pub const LANGUAGE: i32 = 5;
    /// Lives in the campus's municipality.
    pub const SAME_MUNICIPALITY: i32 = 15;
    /// Lives in the campus's department (another municipality).
    pub const SAME_DEPARTMENT: i32 = 8;
    /// Online programme: no travel.
    pub const ONLINE: i32 = 10;
}

/// Why a placement earned points.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlacementReasonKind {
    /// Education level eligible.
    Eligible,
    /// Prior studies in the same field.
    SameField,
    /// Prior studies in a related field.
    RelatedField,
    /// Years already completed at the programme's level.
    YearsCompleted,
    /// Speaks a language of instruction.
    Language,
    /// Lives in the campus's municipality.
    SameMunicipality,
    /// Lives in the campus's department.
    SameDepartment,
    /// Online: distance does not matter.
    Online,
}

/// What a person still lacks for a programme.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum MissingKind {
    /// Education below the programme's minimum.
    Education,
    /// Does not speak a language of instruction.
    Language,
}

/// One reason and its points.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reason {
    /// What it is.
    pub kind: PlacementReasonKind,
    /// Points.
    pub points: i32,
    /// Human-readable explanation.
    pub detail: String,
}

/// One thing missing, explained.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Missing {
    /// What it is.
    pub kind: MissingKind,
    /// Human-readable explanation ("needs diversificado completed").
    pub detail: String,
}

/// What a programme asks for and offers.
#[derive(Clone, Debug)]
pub struct Offer {
    /// Its level.
    pub level: ProgramLevel,
    /// Minimum education completed.
    pub min_education: EducationLevel,
    /// ISCED-F broad field.
    pub field_code: String,
    /// Languages of instruction.
    pub languages: Vec<String>,
    /// How it is taught.
    pub modality: Modality,
    /// Campus municipality.
    pub municipality_code: String,
    /// Campus department.
    pub department_code: String,
}

/// One period of a person's studies.
#[derive(Clone, Debug)]
pub struct Study {
    /// Level.
    pub level: EducationLevel,
    /// ISCED-F broad field.
    pub field_code: String,
    /// Years of the level completed.
    pub years: i32,
    /// Finished.
    pub completed: bool,
}

/// What is known of a person's studies, languages and home.
#[derive(Clone, Debug, Default)]
pub struct Student {
    /// Highest education declared in SKILLS.
    pub declared: Option<EducationLevel>,
    /// Education history.
    pub studies: Vec<Study>,
    /// ISO 639-3 codes; empty when none were recorded.
    pub languages: Vec<String>,
    /// Home municipality.
    pub municipality_code: Option<String>,
    /// Home department.
    pub department_code: Option<String>,
}

impl Student {
    /// The highest level completed: declared, or finished in the history.
    pub fn highest(&self) -> Option<EducationLevel> {
        let finished = self.studies.iter().filter(|s| s.completed).map(|s| s.level);
        finished.chain(self.declared).max()
    }
}

/// A person scored for a programme.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Placement {
    /// Sum of the reasons' points.
    pub score: i32,
    /// Nothing is missing.
    pub eligible: bool,
    /// Why, point by point.
    pub reasons: Vec<Reason>,
    /// What is still missing.
    pub missing: Vec<Missing>,
}

impl Placement {
    /// The ranking key: eligible people first, then by score.
    pub fn rank_key(&self) -> i64 {
        i64::from(self.score) + if self.eligible { ELIGIBLE_RANK } else { 0 }
    }
}

fn education(o: &Offer, s: &Student, out: &mut Placement) {
    let min = o.min_education;
    let highest = s.highest();
    if highest.is_some_and(|h| h >= min) {
        out.reasons.push(Reason {
            kind: PlacementReasonKind::Eligible,
            points: points::ELIGIBLE,
            detail: format!(
                "has {} completed (the programme asks for {})",
                level_name(highest.unwrap_or(min)),
                level_name(min)
            ),
        });
        return;
    }
    let begun = s.studies.iter().filter(|x| x.level == min && !x.completed);
    let progress = match begun.map(|x| x.years).max() {
        Some(y) => format!("{y} year(s) of {} done", level_name(min)),
        None => match highest {
            Some(h) => format!("has {}", level_name(h)),
            None => "no studies recorded".into(),
        },
    };
    out.missing.push(Missing {
        kind: MissingKind::Education,
        detail: format!("needs {} completed ({progress})", level_name(min)),
    });
}

fn field(o: &Offer, s: &Student, out: &mut Placement) {
    let known = |f: &str| f != "00" && f != "99";
    let same = s
        .studies
        .iter()
        .find(|x| known(&x.field_code) && x.field_code == o.field_code);
    let near = s
        .studies
        .iter()
        .find(|x| studies::related(&x.field_code, &o.field_code));
    let (kind, pts, x) = match (same, near) {
        (Some(x), _) => (PlacementReasonKind::SameField, points::SAME_FIELD, x),
        (None, Some(x)) => (PlacementReasonKind::RelatedField, points::RELATED_FIELD, x),
        (None, None) => return,
    };
    let title = studies::field_title(&x.field_code).unwrap_or("?");
    out.reasons.push(Reason {
        kind,
        points: pts,
        detail: format!(
            "prior studies ({}) in {title}{}",
            level_name(x.level),
            if kind == PlacementReasonKind::SameField {
                ""
            } else {
                ", a related field"
            }
        ),
    });
}

fn years(o: &Offer, s: &Student, out: &mut Placement) {
    let at_level = o.level.grants();
    let near = |f: &str| f == o.field_code || studies::related(f, &o.field_code);
    let best = (s.studies.iter())
        .filter(|x| x.level == at_level && !x.completed && near(&x.field_code))
        .map(|x| x.years)
        .max()
        .unwrap_or(0);
    let counted = best.min(points::MAX_YEARS);
    if counted > 0 {
        out.reasons.push(Reason {
            kind: PlacementReasonKind::YearsCompleted,
            points: counted * points::PER_YEAR,
            detail: format!(
                "{best} year(s) of {} already completed in this or a related field (counted up to {})",
                level_name(at_level),
                points::MAX_YEARS
            ),
        });
    }
}

fn languages(o: &Offer, s: &Student, out: &mut Placement) {
    // No languages recorded: unknown, neither credited nor held against.
    if s.languages.is_empty() {
        return;
    }
    for lang in &o.languages {
        if s.languages.contains(lang) {
            out.reasons.push(Reason {
                kind: PlacementReasonKind::Language,
                points: points::LANGUAGE,
                detail: format!("speaks {lang}, a language of instruction"),
            });
        } else {
            out.missing.push(Missing {
                kind: MissingKind::Language,
                detail: format!("needs {lang} (a language of instruction)"),
            });
        }
    }
}

fn distance(o: &Offer, s: &Student, out: &mut Placement) {
    let (kind, pts, detail) = if o.modality == Modality::Online {
        (
            PlacementReasonKind::Online,
            points::ONLINE,
            "online: no travel to the campus".to_string(),
        )
    } else if s.municipality_code.as_deref() == Some(o.municipality_code.as_str()) {
        let d = format!("lives in the campus's municipality {}", o.municipality_code);
        (
            PlacementReasonKind::SameMunicipality,
            points::SAME_MUNICIPALITY,
            d,
        )
    } else if s.department_code.as_deref() == Some(o.department_code.as_str()) {
        let d = format!("lives in the campus's department {}", o.department_code);
        (
            PlacementReasonKind::SameDepartment,
            points::SAME_DEPARTMENT,
            d,
        )
    } else {
        return;
    };
    out.reasons.push(Reason {
        kind,
        points: pts,
        detail,
    });
}

/// Scores a person for a programme: reasons with points, and what is
/// missing. Deterministic: the same inputs give the same placement.
pub fn place(o: &Offer, s: &Student) -> Placement {
    let mut out = Placement {
        score: 0,
        eligible: false,
        reasons: vec![],
        missing: vec![],
    };
    education(o, s, &mut out);
    field(o, s, &mut out);
    years(o, s, &mut out);
    languages(o, s, &mut out);
    distance(o, s, &mut out);
    out.score = out.reasons.iter().map(|r| r.points).sum();
    out.eligible = out.missing.is_empty();
    out
}

/// Orders placements best first: eligible first, score descending, then
/// id ascending.
pub fn rank<T>(items: &mut [(Placement, String, T)]) {
    items.sort_by(|a, b| {
        b.0.rank_key()
            .cmp(&a.0.rank_key())
            .then_with(|| a.1.cmp(&b.1))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn offer() -> Offer {
        Offer {
            level: ProgramLevel::Licenciatura,
            min_education: EducationLevel::UpperSecondary,
            field_code: "06".into(),
            languages: vec!["spa".into()],
            modality: Modality::Weekend,
            municipality_code: "0101".into(),
            department_code: "01".into(),
        }
    }

    fn study(level: EducationLevel, field: &str, years: i32, completed: bool) -> Study {
        Study {
            level,
            field_code: field.into(),
            years,
            completed,
        }
    }

    #[test]
    fn reasons_add_up_for_an_eligible_person() {
        let s = Student {
            declared: Some(EducationLevel::LowerSecondary),
            studies: vec![
                study(EducationLevel::UpperSecondary, "00", 3, true),
                study(EducationLevel::University, "07", 2, false),
            ],
            languages: vec!["spa".into(), "eng".into()],
            municipality_code: Some("0108".into()),
            department_code: Some("01".into()),
        };
        let p = place(&offer(), &s);
        // 30 eligible + 10 related field + 10 two years + 5 spa + 8 department.
        assert_eq!(p.score, 63);
        assert!(p.eligible);
        assert_eq!(p.score, p.reasons.iter().map(|r| r.points).sum::<i32>());
    }

    #[test]
    fn what_is_missing_is_explained() {
        let s = Student {
            declared: Some(EducationLevel::LowerSecondary),
            studies: vec![study(EducationLevel::UpperSecondary, "00", 1, false)],
            languages: vec!["quc".into()],
            ..Student::default()
        };
        let p = place(&offer(), &s);
        assert!(!p.eligible);
        assert_eq!(
            p.missing[0].detail,
            "needs diversificado completed (1 year(s) of diversificado done)"
        );
        assert_eq!(p.missing[1].kind, MissingKind::Language);
        let none = place(&offer(), &Student::default());
        assert_eq!(
            none.missing[0].detail,
            "needs diversificado completed (no studies recorded)"
        );
        assert!(p.rank_key() < ELIGIBLE_RANK);
    }
}
