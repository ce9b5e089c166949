CREATE INDEX migrants_latest_arrival_idx ON migrants (latest_arrival_at);
