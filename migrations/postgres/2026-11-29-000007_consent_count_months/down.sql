-- Back to day buckets.
DROP TABLE consent_counts;
CREATE TABLE consent_counts (
    institution_code TEXT NOT NULL,
    purpose TEXT NOT NULL,
    department_code TEXT NOT NULL,
    expires_on DATE NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (institution_code, purpose, department_code, expires_on)
);
INSERT INTO consent_counts (institution_code, purpose, department_code, expires_on, n)
SELECT c.institution_code, c.purpose, COALESCE(m.origin_department_code, ''),
       COALESCE(CAST(c.expires_at AS DATE), DATE '9999-12-31'), count(*)
FROM consents c JOIN migrants m ON m.id = c.migrant_id
WHERE c.revoked_at IS NULL AND m.do_not_share = false
GROUP BY 1, 2, 3, 4;
