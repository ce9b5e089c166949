//! Institutions, their kinds, and the roles each kind may hold.

use async_graphql::Enum;

/// What an institution is; it decides which roles its users may hold.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[graphql(rename_items = "SCREAMING_SNAKE_CASE")]
pub enum InstitutionKind {
    /// The operating agency (IOM).
    Operator,
    /// The Ministry of Foreign Affairs (MINEX).
    ForeignAffairs,
    /// The Ministry of Labour (MINTRAB).
    Labour,
    /// A university.
    University,
}

impl InstitutionKind {
    /// The stored and wire form.
    pub fn as_str(self) -> &'static str {
        match self {
            InstitutionKind::Operator => "OPERATOR",
            InstitutionKind::ForeignAffairs => "FOREIGN_AFFAIRS",
            InstitutionKind::Labour => "LABOUR",
            InstitutionKind::University => "UNIVERSITY",
        }
    }

    /// Parses the stored form.
    pub fn parse(s: &str) -> Option<Self> {
        Self::all().into_iter().find(|k| k.as_str() == s)
    }

    /// Every kind.
    pub fn all() -> [Self; 4] {
        [
            InstitutionKind::Operator,
            InstitutionKind::ForeignAffairs,
            InstitutionKind::Labour,
            InstitutionKind::University,
        ]
    }
}

/// A caller's role, carried in the JWT `role` claim.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[graphql(rename_items = "snake_case")]
pub enum Role {
    /// IOM administrator: every record, institutions, audit.
    IomAdmin,
    /// IOM caseworker: every record.
    IomCaseworker,
    /// IOM reception staff at the airport.
    IomReception,
    /// Reads the audit log and statistics; no personal records.
    Auditor,
    /// MINEX officer giving assistance on arrival.
    ForeignAffairsOfficer,
    /// MINTRAB officer for jobs, training and enterprise.
    LabourOfficer,
    /// University officer for placements and studies.
    UniversityOfficer,
}

impl Role {
    /// The claim and wire form.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::IomAdmin => "iom_admin",
            Role::IomCaseworker => "iom_caseworker",
            Role::IomReception => "iom_reception",
            Role::Auditor => "auditor",
            Role::ForeignAffairsOfficer => "foreign_affairs_officer",
            Role::LabourOfficer => "labour_officer",
            Role::UniversityOfficer => "university_officer",
        }
    }

    /// Every role.
    pub fn all() -> [Self; 7] {
        [
            Role::IomAdmin,
            Role::IomCaseworker,
            Role::IomReception,
            Role::Auditor,
            Role::ForeignAffairsOfficer,
            Role::LabourOfficer,
            Role::UniversityOfficer,
        ]
    }

    /// Parses the claim form.
    pub fn parse(s: &str) -> Option<Self> {
        Self::all().into_iter().find(|r| r.as_str() == s)
    }

    /// The only institution kind whose users may hold this role.
    pub fn kind(self) -> InstitutionKind {
        match self {
            Role::IomAdmin | Role::IomCaseworker | Role::IomReception | Role::Auditor => {
                InstitutionKind::Operator
            }
            Role::ForeignAffairsOfficer => InstitutionKind::ForeignAffairs,
            Role::LabourOfficer => InstitutionKind::Labour,
            Role::UniversityOfficer => InstitutionKind::University,
        }
    }

    /// True for IOM roles that work on personal records (not the auditor).
    pub fn is_iom_staff(self) -> bool {
        matches!(
            self,
            Role::IomAdmin | Role::IomCaseworker | Role::IomReception
        )
    }
}

/// A validated institution code: 2–16 upper-case letters or digits.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct InstitutionCode(String);

impl InstitutionCode {
    /// Validates and normalises (trim, upper-case) a code.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let code = raw.trim().to_ascii_uppercase();
        let ok = (2..=16).contains(&code.len())
            && code
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
        if ok {
            Ok(InstitutionCode(code))
        } else {
            Err("must be 2 to 16 letters or digits".into())
        }
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_and_belong_to_one_kind() {
        for role in Role::all() {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::LabourOfficer.kind(), InstitutionKind::Labour);
        assert_eq!(Role::parse("root"), None);
    }

    #[test]
    fn institution_codes_are_validated() {
        assert_eq!(InstitutionCode::parse(" usac ").unwrap().as_str(), "USAC");
        assert!(InstitutionCode::parse("U").is_err());
        assert!(InstitutionCode::parse("US AC").is_err());
    }
}
