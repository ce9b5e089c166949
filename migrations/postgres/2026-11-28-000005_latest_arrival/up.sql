-- Latest received arrival per person: MINEX's row scope becomes an index range.
ALTER TABLE migrants ADD COLUMN latest_arrival_at TIMESTAMP;
UPDATE migrants SET latest_arrival_at = (
    SELECT max(a.arrived_at) FROM arrivals a WHERE a.migrant_id = migrants.id AND a.status = 'ARRIVED'
);
CREATE INDEX migrants_latest_arrival_idx ON migrants (latest_arrival_at);
