DROP INDEX migrants_latest_arrival_idx;
ALTER TABLE migrants DROP COLUMN latest_arrival_at;
