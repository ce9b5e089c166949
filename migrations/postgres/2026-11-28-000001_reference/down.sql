DROP TABLE municipalities;
DROP TABLE departments;
DROP TABLE institutions;
