DROP INDEX consents_expiry_idx;
DROP TABLE consent_counts;
