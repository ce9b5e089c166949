DROP TABLE program_intakes;
DROP TABLE university_programs;
