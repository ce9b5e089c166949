-- Maintained counts behind partners' totalCount: non-revoked consents of
-- shareable people, by institution, purpose, department of origin and the
-- UTC day the consent expires ('9999-12-31' for never). A count sums the
-- buckets expiring after today and counts today's expiring consents exactly.
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
-- Today's expiring consents, counted exactly.
CREATE INDEX consents_expiry_idx ON consents (institution_code, purpose, expires_at)
    WHERE revoked_at IS NULL AND expires_at IS NOT NULL;
