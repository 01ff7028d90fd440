-- migrate: foreign_keys=off
-- The clip table with keys that are cheap to keep up at millions of rows (issue 3, bench:index).
--
-- 0020 gave each clip three text keys besides its searches: UNIQUE (device, path, size, mtime),
-- UNIQUE vault_path and an index on the 64-character hash. Measured at 1 M clips they cost
-- about 60 % of the CPU of an insert (31 µs a row against 13 µs without them), the hash index
-- worst because its keys land at random. All three lookups are by camera, so one integer index,
-- (device, mtime, size), now serves them: a file's identity (guarantee 4, first test: then the
-- path is compared in the row), the same bytes from the same camera (second test: the camera's
-- entries are read from the index, a page or two a thousand clips, for the same size, then the
-- hash is compared) and rebuild-index's "is this vault file indexed" (the sidecar names the
-- camera, size and mtime). Time before size: a camera writes its files in time order, so each
-- insert lands at the end of its camera's range instead of at a random size (measured at 5 M
-- clips: 20.7 against 29.3 µs a clip); the price is that the second test reads the camera's
-- entries rather than seeking (under a millisecond at a thousand clips a camera a year).
-- Uniqueness stays where it is decided: the ingest asks both tests inside the transaction that
-- inserts (one writer), and the vault never overwrites a file, so a vault path cannot repeat.
--
-- SQLite cannot drop a table constraint, so the table is rebuilt (new table, copy, drop, rename);
-- ids are kept, so ingest_file and outside_recording_clip still point at the same clips.

CREATE TABLE clip_new (
  id                   INTEGER PRIMARY KEY,
  device_id            INTEGER NOT NULL REFERENCES device(id),
  dock_session_id      INTEGER REFERENCES dock_session(id),
  officer_id           INTEGER REFERENCES person(id),
  badge                TEXT,               -- 警号 as the camera wrote it
  original_path        TEXT NOT NULL,      -- relative to the camera's volume root, '/'-separated
  size                 INTEGER NOT NULL,
  mtime_ms             INTEGER NOT NULL,
  kind                 TEXT NOT NULL CHECK (kind IN ('video', 'audio', 'photo', 'other')),
  hash_algorithm       TEXT NOT NULL CHECK (hash_algorithm IN ('sha256', 'sm3')),
  hash                 TEXT NOT NULL,
  vault_path           TEXT NOT NULL,        -- relative to the vault root; the vault never reuses one
  verification         TEXT NOT NULL,        -- how the copy was checked: direct-readback, cache-readback
  camera_start_text    TEXT,               -- start time exactly as the camera wrote it
  camera_start_at      INTEGER,            -- that wall-clock time read in the station's zone
  start_at             INTEGER,            -- corrected by the clock skew measured at dock
  duration_ms          INTEGER,
  video_codec          TEXT,
  audio_codec          TEXT,
  width                INTEGER,
  height               INTEGER,
  embedded_created_at  INTEGER,
  important            INTEGER NOT NULL DEFAULT 0 CHECK (important IN (0, 1)),  -- 重点
  damaged              INTEGER NOT NULL DEFAULT 0 CHECK (damaged IN (0, 1)),
  damage_reason        TEXT,
  committed_at         INTEGER NOT NULL,
  -- The checkout the clip was recorded under; NULL until custody links it, or for footage
  -- recorded outside a checkout (第三条).
  checkout_id          INTEGER
) STRICT;

INSERT INTO clip_new SELECT id, device_id, dock_session_id, officer_id, badge, original_path, size, mtime_ms, kind,
  hash_algorithm, hash, vault_path, verification, camera_start_text, camera_start_at, start_at, duration_ms, video_codec,
  audio_codec, width, height, embedded_created_at, important, damaged, damage_reason, committed_at, checkout_id
  FROM clip;

DROP TABLE clip;
ALTER TABLE clip_new RENAME TO clip;

CREATE INDEX clip_officer_start ON clip(officer_id, start_at);
CREATE INDEX clip_device_start ON clip(device_id, start_at);
-- 重点 clips are 5 % of all, scattered over the table: fetching a page of 50 full rows meant 50
-- table pages. This partial index carries every column (id right after start_at, so it keeps the
-- search's order start_at, id), so a page of 重点 clips is read from a few adjacent index pages.
-- A column added to clip later must be added here too; clip-search.test.ts holds the plan to it.
CREATE INDEX clip_important_start ON clip(start_at, id, device_id, dock_session_id, officer_id, badge, original_path, size,
  mtime_ms, kind, hash_algorithm, hash, vault_path, verification, camera_start_text, camera_start_at, duration_ms,
  video_codec, audio_codec, width, height, embedded_created_at, important, damaged, damage_reason, committed_at, checkout_id)
  WHERE important = 1;
CREATE INDEX clip_session ON clip(dock_session_id);
CREATE INDEX clip_checkout_start ON clip(checkout_id, start_at) WHERE checkout_id IS NOT NULL;
CREATE INDEX clip_file ON clip(device_id, mtime_ms, size);
