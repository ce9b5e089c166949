-- migrants_window_idx (latest_arrival_at, do_not_share, created_at, id) serves
-- every range on latest_arrival_at this index served; keeping both cost
-- a second B-tree write per arrival and a second build per bulk load.
DROP INDEX migrants_latest_arrival_idx;
