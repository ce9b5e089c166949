-- MINEX's page: the window's people sorted by registration from the index
-- alone, then only the page's rows read (see db::scope::page).
CREATE INDEX migrants_window_idx ON migrants (latest_arrival_at, do_not_share, created_at, id);
