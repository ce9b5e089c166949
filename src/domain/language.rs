//! Languages a person speaks, as ISO 639-3 codes: Spanish, English and the
//! languages of Guatemala's peoples (22 Mayan languages, Garifuna, Xinka).
//! A fixed list: partners filter on these codes, so free text is refused.

use super::person::fold;

/// ISO 639-3 code and the name used in Guatemala.
pub const LANGUAGES: &[(&str, &str)] = &[
    ("spa", "Español"),
    ("eng", "Inglés"),
    ("acr", "Achi"),
    ("knj", "Akateko"),
    // ISO 639-3 has no separate code for Chalchiteko; Ethnologue counts it
    // under Awakateko, so both names resolve to `agu`.
    ("agu", "Awakateko"),
    ("caa", "Ch'orti'"),
    ("cac", "Chuj"),
    ("itz", "Itza'"),
    ("ixl", "Ixil"),
    ("jac", "Popti'"),
    ("cak", "Kaqchikel"),
    ("quc", "K'iche'"),
    ("mam", "Mam"),
    ("mop", "Mopan"),
    ("poc", "Poqomam"),
    ("poh", "Poqomchi'"),
    ("kjb", "Q'anjob'al"),
    ("kek", "Q'eqchi'"),
    ("quv", "Sakapulteko"),
    ("qum", "Sipakapense"),
    ("ttc", "Tektiteko"),
    ("tzj", "Tz'utujil"),
    ("usp", "Uspanteko"),
    ("cab", "Garífuna"),
    ("xin", "Xinka"),
];

/// Other names accepted for a language (older spellings, English names).
const ALIASES: &[(&str, &str)] = &[
    ("spanish", "spa"),
    ("english", "eng"),
    ("chalchiteko", "agu"),
    ("jakalteko", "jac"),
    ("kiche", "quc"),
    ("quiche", "quc"),
    ("kekchi", "kek"),
];

/// A validated ISO 639-3 code from [`LANGUAGES`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct LanguageCode(&'static str);

impl LanguageCode {
    /// Accepts a code (`quc`) or a name (`K'iche'`, accents and case ignored).
    pub fn parse(raw: &str) -> Result<Self, String> {
        let code = raw.trim().to_ascii_lowercase();
        if let Some((c, _)) = LANGUAGES.iter().find(|(c, _)| *c == code) {
            return Ok(LanguageCode(c));
        }
        // Folding drops apostrophes: "K'iche'" and "Kiche" both give "k iche".
        let folded = fold(raw).replace(' ', "");
        let by_name = LANGUAGES
            .iter()
            .find(|(_, n)| fold(n).replace(' ', "") == folded)
            .map(|(c, _)| *c);
        let by_alias = || ALIASES.iter().find(|(a, _)| *a == folded).map(|(_, c)| *c);
        match by_name.or_else(by_alias) {
            Some(c) => Ok(LanguageCode(c)),
            None => Err(format!(
                "{:?} is not an ISO 639-3 code of a language of Guatemala (e.g. spa, quc, mam)",
                raw.chars().take(20).collect::<String>()
            )),
        }
    }

    /// The three letters.
    pub fn as_str(&self) -> &'static str {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_names() {
        assert_eq!(LANGUAGES.len(), 25);
        assert_eq!(LanguageCode::parse(" QUC ").unwrap().as_str(), "quc");
        assert_eq!(LanguageCode::parse("K'iche'").unwrap().as_str(), "quc");
        assert_eq!(LanguageCode::parse("español").unwrap().as_str(), "spa");
        assert_eq!(LanguageCode::parse("Garifuna").unwrap().as_str(), "cab");
        assert_eq!(LanguageCode::parse("Chalchiteko").unwrap().as_str(), "agu");
        assert!(LanguageCode::parse("fra").is_err());
        assert!(LanguageCode::parse("").is_err());
    }
}
