//! Explainable course matching: the pure scoring of one person against a
//! training course's target ISCO-08 group and place. Same reasons and
//! order as job matching (`service::matching`); the points are in
//! `docs/matching.md`.

use super::matching::{self, points, MatchReasonKind, Profile, Reason, Scored};

/// What a course offers, in the terms scoring needs.
#[derive(Clone, Debug, Default)]
pub struct Course {
    /// Target ISCO-08 group: 1, 2 or 4 digits.
    pub isco_code: String,
    /// Where it is taught.
    pub municipality_code: String,
    /// Its department.
    pub department_code: String,
}

/// The leading digits a candidate's occupation must share with the
/// target: its sub-major group, or the major group of a one-digit target.
pub fn candidate_prefix(target: &str) -> &str {
    &target[..target.len().min(2)]
}

/// The best occupation for the target: most shared leading digits (up to
/// the target's length), then most years, then lowest code.
fn best(target: &str, p: &Profile) -> Option<(usize, String)> {
    let needed = candidate_prefix(target).len();
    p.occupations
        .iter()
        .map(|(code, years)| {
            let depth = matching::shared_prefix(code, target).min(target.len());
            (depth, years.unwrap_or(0), code.clone())
        })
        .filter(|(depth, _, _)| *depth >= needed)
        .max_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)).then_with(|| b.2.cmp(&a.2)))
        .map(|(depth, _, code)| (depth, code))
}

/// Scores `p` for course `c`; `None` when the person has no occupation in
/// the target's sub-major group (its major group for a one-digit target).
/// The closer the occupation to the target, the more points; then the
/// place. Courses teach, so experience and education give no points.
pub fn score(c: &Course, p: &Profile) -> Option<Scored> {
    let (depth, code) = best(&c.isco_code, p)?;
    let (kind, pts) = match depth {
        4 => (MatchReasonKind::OccupationUnit, points::SAME_UNIT),
        3 => (MatchReasonKind::OccupationMinor, points::SAME_MINOR),
        2 => (MatchReasonKind::OccupationSubMajor, points::SAME_SUB_MAJOR),
        _ => (MatchReasonKind::OccupationMajor, points::SAME_MAJOR),
    };
    let mut reasons = vec![Reason {
        kind,
        points: pts,
        detail: format!(
            "worked as {} ({} leading digits shared with the course's target {})",
            matching::title(&code),
            depth,
            matching::title(&c.isco_code)
        ),
    }];
    reasons.extend(matching::place(
        &c.municipality_code,
        &c.department_code,
        p,
        "course",
    ));
    let score = reasons.iter().map(|r| r.points).sum();
    Some(Scored { score, reasons })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(codes: &[&str]) -> Profile {
        Profile {
            occupations: codes.iter().map(|c| (c.to_string(), Some(2))).collect(),
            municipality_code: Some("0102".into()),
            department_code: Some("01".into()),
            ..Profile::default()
        }
    }

    fn course(code: &str) -> Course {
        Course {
            isco_code: code.into(),
            municipality_code: "0101".into(),
            department_code: "01".into(),
        }
    }

    #[test]
    fn closer_occupations_score_higher_and_reasons_add_up() {
        let unit = score(&course("7112"), &person(&["7112"])).unwrap();
        let minor = score(&course("7112"), &person(&["7115"])).unwrap();
        let sub = score(&course("7112"), &person(&["7122"])).unwrap();
        assert_eq!((unit.score, minor.score, sub.score), (48, 33, 23));
        assert!(score(&course("7112"), &person(&["7211"])).is_none());
        let broad = score(&course("7"), &person(&["7211"])).unwrap();
        assert_eq!(broad.reasons[0].kind, MatchReasonKind::OccupationMajor);
        let within = score(&course("71"), &person(&["7112"])).unwrap();
        assert_eq!(within.reasons[0].kind, MatchReasonKind::OccupationSubMajor);
        for s in [unit, minor, sub, broad, within] {
            assert_eq!(s.score, s.reasons.iter().map(|r| r.points).sum::<i32>());
        }
    }
}
