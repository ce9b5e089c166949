//! The labour market vocabulary: employers' sectors, vacancy status,
//! language codes.

use async_graphql::Enum;

use super::person::StoredEnum;

/// Which sector an employer belongs to.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum EmployerSector {
    /// State bodies, municipalities, public universities.
    Public,
    /// Companies, cooperatives, private universities.
    Private,
}

/// Where a vacancy stands.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum VacancyStatus {
    /// Taking candidates.
    Open,
    /// Every opening filled.
    Filled,
    /// Withdrawn or expired without filling.
    Closed,
}

impl StoredEnum for EmployerSector {}
impl StoredEnum for VacancyStatus {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_enums() {
        assert_eq!(VacancyStatus::Open.stored(), "OPEN");
        assert_eq!(
            EmployerSector::from_stored("PRIVATE"),
            Some(EmployerSector::Private)
        );
    }
}
