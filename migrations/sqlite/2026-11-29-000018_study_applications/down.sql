DROP TABLE study_application_events;
DROP TABLE study_applications;
