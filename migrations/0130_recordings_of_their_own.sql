-- Every recording keeps its own record (guarantee 4 as changed by issue 17).
--
-- A camera file whose bytes equal an earlier clip's was a `duplicate` of that clip even when it was
-- another recording (another name, another time): the empty or cut-short files a camera leaves
-- after a fault, a photo saved twice. Now only the same camera file docked again (path, size,
-- mtime) or the same file moved to another path (size, mtime and hash equal, its old path gone from
-- the card) is the clip it was; any other file is a clip of its own. Existing stations are carried
-- over by the station itself at start-up (ingest/split-duplicates.ts: it copies bytes and writes
-- sidecars, which SQL cannot), with `ingest.split_duplicates` in station_setting marking the work.

-- A file that only moved on the camera: the clip it was, found at another path. The identity test
-- (guarantee 4, first test) reads this beside the clip's own path, so the moved file is a re-dock
-- at its new path too. Served like clip_file: by camera, time and size, the path compared in the row.
CREATE TABLE clip_moved (
  id               INTEGER PRIMARY KEY,
  clip_id          INTEGER NOT NULL REFERENCES clip(id),
  device_id        INTEGER NOT NULL REFERENCES device(id),
  original_path    TEXT NOT NULL,    -- the new path on the camera, '/'-separated
  size             INTEGER NOT NULL,
  mtime_ms         INTEGER NOT NULL,
  dock_session_id  INTEGER REFERENCES dock_session(id),  -- the dock that found it there; NULL when rebuilt from the vault
  seen_at          INTEGER NOT NULL,
  UNIQUE (clip_id, original_path)
) STRICT;
CREATE INDEX clip_moved_file ON clip_moved(device_id, mtime_ms, size);

-- A file whose camera times cannot be true (before 2000, or after the station's clock plus a day):
-- stored and dated by whatever else gives a plausible time (or filed under undated/), flagged so
-- nobody takes its camera time for fact.
ALTER TABLE clip ADD COLUMN clock_wrong INTEGER NOT NULL DEFAULT 0 CHECK (clock_wrong IN (0, 1));

-- The 重点 search is read from its partial index alone (migration 0060), which must carry every
-- column of clip: made again with the new one.
DROP INDEX clip_important_start;
CREATE INDEX clip_important_start ON clip(start_at, id, device_id, dock_session_id, officer_id, badge, original_path, size,
  mtime_ms, kind, hash_algorithm, hash, vault_path, verification, camera_start_text, camera_start_at, duration_ms,
  video_codec, audio_codec, width, height, embedded_created_at, important, damaged, damage_reason, committed_at, checkout_id,
  clock_wrong)
  WHERE important = 1;
