DROP INDEX migrants_window_idx;
