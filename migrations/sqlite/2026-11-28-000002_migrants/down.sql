DROP TABLE idempotency_keys;
DROP TABLE audit_events;
DROP TABLE audit_head;
DROP TABLE consents;
DROP TABLE arrivals;
DROP TABLE migrants;
