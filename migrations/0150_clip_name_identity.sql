-- Real cameras (issue 18).
--
-- What a clip's own name (or the name of the folder holding it) says about it: the 产品序号,
-- 警号 and sequence number the profile's pattern reads. The camera's identity comes from the
-- most trusted source (docking/profile/identity.ts); these are kept per clip so a file that
-- carries another camera's serial can be told apart, and so the index holds what the camera
-- wrote, not only what the station concluded.
ALTER TABLE clip ADD COLUMN name_serial TEXT;
ALTER TABLE clip ADD COLUMN name_badge TEXT;
ALTER TABLE clip ADD COLUMN name_seq INTEGER;

-- The 重点 search is read from its partial index alone (migration 0060), which must carry every
-- column of clip: made again with the new ones.
DROP INDEX clip_important_start;
CREATE INDEX clip_important_start ON clip(start_at, id, device_id, dock_session_id, officer_id, badge, original_path, size,
  mtime_ms, kind, hash_algorithm, hash, vault_path, verification, camera_start_text, camera_start_at, duration_ms,
  video_codec, audio_codec, width, height, embedded_created_at, important, damaged, damage_reason, committed_at, checkout_id,
  clock_wrong, name_serial, name_badge, name_seq)
  WHERE important = 1;
