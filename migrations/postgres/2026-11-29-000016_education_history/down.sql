DROP TABLE education_records;
