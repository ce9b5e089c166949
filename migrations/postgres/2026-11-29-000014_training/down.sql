DROP TABLE training_enrolment_events;
DROP TABLE training_enrolments;
DROP TABLE training_courses;
