DROP TABLE job_vacancies;
DROP TABLE employers;
