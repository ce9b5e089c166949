//! Recognising a person already on record when they return again:
//! deterministic, explainable scores over folded names, birth date, origin.

use chrono::NaiveDate;

use super::person::fold;

/// What is known about a person at the door.
#[derive(Clone, Debug)]
pub struct Arriving<'a> {
    /// Given names as written.
    pub given_names: &'a str,
    /// Family names as written (one or two surnames).
    pub family_names: &'a str,
    /// Birth date.
    pub birth_date: NaiveDate,
    /// Origin municipality code, when known.
    pub municipality: Option<&'a str>,
}

/// A record on file, in the terms matching needs.
#[derive(Clone, Debug)]
pub struct OnRecord<'a> {
    /// Given names.
    pub given_names: &'a str,
    /// Family names.
    pub family_names: &'a str,
    /// Birth date.
    pub birth_date: NaiveDate,
    /// Origin municipality code.
    pub municipality: Option<&'a str>,
}

/// A score from 0 to 100 and the reasons behind it.
#[derive(Clone, Debug, PartialEq)]
pub struct MatchScore {
    /// 0–100.
    pub score: u32,
    /// Human-readable reasons.
    pub reasons: Vec<String>,
    /// Same first given name, surnames compatible, same birth date and
    /// same (or unknown) origin: safe to link without asking.
    pub is_close: bool,
}

fn words(s: &str) -> Vec<String> {
    fold(s)
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// Scores how likely `a` and `r` are the same person.
pub fn score(a: &Arriving<'_>, r: &OnRecord<'_>) -> MatchScore {
    let mut reasons = Vec::new();
    let mut score = 0;
    let (ag, rg) = (words(a.given_names), words(r.given_names));
    let (af, rf) = (words(a.family_names), words(r.family_names));
    let same_first_given = !ag.is_empty() && ag.first() == rg.first();
    if same_first_given {
        score += 30;
        reasons.push("same first given name".to_string());
    } else if ag.iter().any(|w| rg.contains(w)) {
        score += 15;
        reasons.push("shares a given name".to_string());
    }
    let same_first_surname = !af.is_empty() && af.first() == rf.first();
    // A missing second surname on either side is common and not a conflict.
    let second_ok = af.len() < 2 || rf.len() < 2 || af.get(1) == rf.get(1);
    if same_first_surname && second_ok {
        score += 30;
        reasons.push("same surnames (allowing a missing second surname)".to_string());
    } else if af.iter().any(|w| rf.contains(w)) {
        score += 15;
        reasons.push("shares a surname".to_string());
    }
    let same_birth = a.birth_date == r.birth_date;
    if same_birth {
        score += 25;
        reasons.push("same birth date".to_string());
    }
    let origin_ok = match (a.municipality, r.municipality) {
        (Some(x), Some(y)) if x == y => {
            score += 15;
            reasons.push("same home municipality".to_string());
            true
        }
        (Some(x), Some(y)) if x.get(..2) == y.get(..2) => {
            score += 8;
            reasons.push("same home department".to_string());
            false
        }
        (None, _) | (_, None) => true,
        _ => false,
    };
    let is_close = same_first_given && same_first_surname && second_ok && same_birth && origin_ok;
    MatchScore {
        score,
        reasons,
        is_close,
    }
}

/// Candidates worth showing reception staff score at least this.
pub const CANDIDATE_THRESHOLD: u32 = 50;

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn tolerant_of_accents_case_and_missing_second_surname() {
        let a = Arriving {
            given_names: "Jose Luis",
            family_names: "LOPEZ",
            birth_date: d("1990-03-04"),
            municipality: Some("1301"),
        };
        let r = OnRecord {
            given_names: "José Luis",
            family_names: "López García",
            birth_date: d("1990-03-04"),
            municipality: Some("1301"),
        };
        let s = score(&a, &r);
        assert!(s.is_close, "{s:?}");
        assert_eq!(s.score, 100);
    }

    #[test]
    fn different_birth_date_is_only_a_candidate() {
        let a = Arriving {
            given_names: "José",
            family_names: "López García",
            birth_date: d("1990-03-05"),
            municipality: Some("1301"),
        };
        let r = OnRecord {
            given_names: "José",
            family_names: "López García",
            birth_date: d("1990-03-04"),
            municipality: Some("1301"),
        };
        let s = score(&a, &r);
        assert!(!s.is_close);
        assert!(s.score >= CANDIDATE_THRESHOLD);
    }

    #[test]
    fn different_second_surnames_are_not_close() {
        let a = Arriving {
            given_names: "Ana",
            family_names: "Pérez Cux",
            birth_date: d("1990-03-04"),
            municipality: None,
        };
        let r = OnRecord {
            given_names: "Ana",
            family_names: "Pérez Tzoc",
            birth_date: d("1990-03-04"),
            municipality: None,
        };
        assert!(!score(&a, &r).is_close);
    }
}
