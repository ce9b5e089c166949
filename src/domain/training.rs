//! The vocabulary of labour training: a course's status and where an
//! enrolment stands.

use async_graphql::Enum;

use super::person::StoredEnum;

/// Whether a course takes enrolments.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum CourseStatus {
    /// Scheduled: takes enrolments while seats are left.
    Open,
    /// Called off (final): takes no enrolments.
    Cancelled,
}

/// Where an enrolment stands: `ENROLLED → COMPLETED | DROPPED`, forward only.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum EnrolmentStatus {
    /// Holds a seat.
    Enrolled,
    /// Finished the course (final; keeps the seat).
    Completed,
    /// Left the course (final; frees the seat).
    Dropped,
}

impl EnrolmentStatus {
    /// Whether `self → to` is an allowed (forward) move.
    pub fn may_move_to(self, to: EnrolmentStatus) -> bool {
        self == EnrolmentStatus::Enrolled && to != EnrolmentStatus::Enrolled
    }
}

impl StoredEnum for CourseStatus {}
impl StoredEnum for EnrolmentStatus {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enrolments_move_forward_only() {
        use EnrolmentStatus::*;
        assert!(Enrolled.may_move_to(Completed));
        assert!(Enrolled.may_move_to(Dropped));
        assert!(!Enrolled.may_move_to(Enrolled));
        assert!(!Completed.may_move_to(Dropped));
        assert!(!Dropped.may_move_to(Enrolled));
        assert_eq!(CourseStatus::Cancelled.stored(), "CANCELLED");
    }
}
