//! Ranking the people a caller may see for a vacancy or a course: builds
//! the target and the exclusions from the row, then runs the exact strata
//! search (`service::ranking`) over the caller's rows (`db::matching`).
//! Shared by the resolvers and the benchmark's direct-SQL side.

use crate::db::courses::CourseRow;
use crate::db::matching::{self, CandidateRow, Eligible};
use crate::db::skills::SkillRows;
use crate::db::vacancies::VacancyRow;
use crate::db::{enrolments, referrals, DbConnection};
use crate::domain::person::{fold, StoredEnum};
use crate::error::AppResult;
use crate::policy::RowFilter;
use crate::service::course_matching::{self, candidate_prefix, Course};
use crate::service::matching::{self as scoring, Needs, Profile, Scored};
use crate::service::ranking::{self, Target, TopK};

/// What a page asks of a ranking.
#[derive(Clone, Debug)]
pub struct Wanted {
    /// The (score, id) the page starts behind.
    pub after: Option<(i64, String)>,
    /// How many people, best first (the page and one more).
    pub want: usize,
    /// Whether to count everyone who matches (`totalCount`).
    pub count: bool,
}

/// The best people after the cursor, best first, and how many match in
/// all (0 unless counted).
pub type Ranked = (Vec<(Scored, String)>, i64);

/// What is known of a person, from their row and skill rows.
pub fn profile(c: &CandidateRow, s: &SkillRows) -> Profile {
    Profile {
        occupations: (s.occupations.iter())
            .map(|o| (o.isco_code.clone(), o.years))
            .collect(),
        languages: s.languages.iter().map(|l| l.code.clone()).collect(),
        certifications: (s.certifications.iter())
            .map(|x| x.search_name.clone())
            .collect(),
        education: c
            .education_level
            .as_deref()
            .and_then(StoredEnum::from_stored),
        english: c.english_level.as_deref().and_then(StoredEnum::from_stored),
        municipality_code: c.origin_municipality_code.clone(),
        department_code: c.origin_department_code.clone(),
    }
}

fn json_list(s: &str) -> Vec<String> {
    serde_json::from_str(s).unwrap_or_default()
}

/// What a vacancy row asks for.
pub fn needs(v: &VacancyRow) -> Needs {
    Needs {
        isco_code: v.isco_code.clone(),
        min_education: v.min_education.as_deref().and_then(StoredEnum::from_stored),
        languages: json_list(&v.languages),
        min_english: v.min_english.as_deref().and_then(StoredEnum::from_stored),
        required_certifications: json_list(&v.required_certifications),
        preferred_certifications: json_list(&v.preferred_certifications),
        municipality_code: v.municipality_code.clone(),
        department_code: v.department_code.clone(),
    }
}

/// The stored names of the levels at or above `min`.
fn at_least<T: StoredEnum + Ord>(min: T) -> Vec<String> {
    (T::items().iter())
        .filter(|i| i.value >= min)
        .map(|i| i.name.to_string())
        .collect()
}

/// The vacancy's best `wanted` candidates among `rows` (people already
/// referred to it left out), and their count when asked.
pub fn for_vacancy(
    c: &mut DbConnection,
    rows: &RowFilter,
    v: &VacancyRow,
    wanted: &Wanted,
) -> AppResult<Ranked> {
    let needs = needs(v);
    let eligible = Eligible {
        education_in: needs.min_education.map(at_least),
        english_in: needs.min_english.map(at_least),
        languages: needs.languages.clone(),
        excluded: referrals::referred_to(c, &v.id)?,
    };
    let certifications = (needs.required_certifications.iter())
        .chain(&needs.preferred_certifications)
        .map(|n| fold(n))
        .collect();
    let target = Target {
        code: &v.isco_code,
        widest: 2,
        municipality: &v.municipality_code,
        department: &v.department_code,
        languages: &needs.languages,
        certifications,
    };
    rank(c, rows, (&target, &eligible), wanted, |p| {
        scoring::score(&needs, p)
    })
}

/// The course's best `wanted` candidates among `rows` (people already
/// enrolled, in any status, left out), and their count when asked.
pub fn for_course(
    c: &mut DbConnection,
    rows: &RowFilter,
    course: &CourseRow,
    wanted: &Wanted,
) -> AppResult<Ranked> {
    let eligible = Eligible {
        excluded: enrolments::enrolled_in(c, &course.id)?,
        ..Eligible::default()
    };
    let offer = Course {
        isco_code: course.isco_code.clone(),
        municipality_code: course.municipality_code.clone(),
        department_code: course.department_code.clone(),
    };
    let target = Target {
        code: &course.isco_code,
        widest: candidate_prefix(&course.isco_code).len(),
        municipality: &course.municipality_code,
        department: &course.department_code,
        languages: &[],
        certifications: vec![],
    };
    rank(c, rows, (&target, &eligible), wanted, |p| {
        course_matching::score(&offer, p)
    })
}

/// The exact ranking's first `wanted.want` people after the cursor: the
/// strata of `t` read best ceiling first until nobody unread can enter,
/// each person scored by `score`.
fn rank<S>(
    c: &mut DbConnection,
    rows: &RowFilter,
    (t, e): (&Target<'_>, &Eligible),
    wanted: &Wanted,
    score: S,
) -> AppResult<Ranked>
where
    S: Fn(&Profile) -> Option<Scored>,
{
    let strata = ranking::strata(t, &score);
    let top = TopK::new(wanted.want, wanted.after.clone());
    let top = ranking::search(&strata, top, |s, after, limit, top| {
        matching::offer_chunk(c, rows, (t, e), (s, after, limit), top, |r, skills| {
            score(&profile(r, skills))
        })
    })?;
    let total = if wanted.count {
        matching::count(c, rows, t, e)?
    } else {
        0
    };
    Ok((top.into_ranked(), total))
}
