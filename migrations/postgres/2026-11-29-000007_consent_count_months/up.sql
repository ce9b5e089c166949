-- Month buckets instead of day buckets: a count sums a few hundred rows
-- (future months × departments) instead of one per day, and counts the
-- current month's expiring consents exactly. The key leads with the
-- expiry, so the future buckets are one index range.
DROP TABLE consent_counts;
CREATE TABLE consent_counts (
    institution_code TEXT NOT NULL,
    purpose TEXT NOT NULL,
    expires_on DATE NOT NULL,
    department_code TEXT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (institution_code, purpose, expires_on, department_code)
);
INSERT INTO consent_counts (institution_code, purpose, expires_on, department_code, n)
SELECT c.institution_code, c.purpose,
       COALESCE(CAST(date_trunc('month', c.expires_at) AS DATE), DATE '9999-12-01'),
       COALESCE(m.origin_department_code, ''), count(*)
FROM consents c JOIN migrants m ON m.id = c.migrant_id
WHERE c.revoked_at IS NULL AND m.do_not_share = false
GROUP BY 1, 2, 3, 4;
