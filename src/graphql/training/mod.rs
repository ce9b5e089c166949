//! Labour training: courses (MINTRAB's, no personal data; who may read or
//! manage them is `policy::course_access`), enrolments (EMPLOYMENT slice)
//! and course matching.

pub mod course;
pub mod courses;
pub mod enrolments;
pub mod matches;
