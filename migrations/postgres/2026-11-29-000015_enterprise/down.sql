DROP TABLE enterprise_project_notes;
DROP TABLE enterprise_project_events;
DROP TABLE enterprise_projects;
