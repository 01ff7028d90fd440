-- 第七条 "clock set to station time": where a camera model takes a time file (its profile's
-- clock.set), the station writes it when the dock's offload ends. When it did, and the time it
-- wrote exactly as written, stay with the dock session: the next checkout's clock check then knows
-- the camera was set after its clock was read (and a camera still off after being set is one that
-- ignores the file). NULL: nothing was written (model without a time file, camera gone, or the
-- write failed: then a dock_notice of kind clock_set_failed says why).
ALTER TABLE dock_session ADD COLUMN clock_set_at INTEGER;
ALTER TABLE dock_session ADD COLUMN clock_set_text TEXT;
