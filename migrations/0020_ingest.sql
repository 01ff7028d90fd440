-- Docking and ingest: dock sessions, the per-file ingest state machine, and the clip index.
-- A clip row is never deleted (retention will purge the file and keep the row as a tombstone).

CREATE TABLE dock_session (
  id                 INTEGER PRIMARY KEY,
  volume_id          TEXT NOT NULL,
  volume_root        TEXT NOT NULL,
  source             TEXT NOT NULL CHECK (source IN ('usb-volume', 'watched-folder', 'cli')),
  label              TEXT,
  profile_id         TEXT,
  device_id          INTEGER REFERENCES device(id),
  serial             TEXT,              -- 产品序号 as the camera's binding gives it
  binding_json       TEXT,              -- the binding as read (产品序号, 警号, 姓名, 单位)
  officer_id         INTEGER REFERENCES person(id),
  state              TEXT NOT NULL CHECK (state IN ('identifying', 'unregistered', 'ingesting', 'paused',
                       'done', 'failed', 'cancelled')),
  state_reason       TEXT,
  camera_clock_text  TEXT,              -- the camera's clock exactly as read
  clock_skew_ms      INTEGER,           -- camera clock minus station clock at the moment of reading
  free_bytes         INTEGER,
  battery_percent    INTEGER,
  files_total        INTEGER NOT NULL DEFAULT 0,
  files_committed    INTEGER NOT NULL DEFAULT 0,
  files_failed       INTEGER NOT NULL DEFAULT 0,
  files_duplicate    INTEGER NOT NULL DEFAULT 0,
  bytes_total        INTEGER NOT NULL DEFAULT 0,
  attached_at        INTEGER NOT NULL,
  finished_at        INTEGER,
  detached_at        INTEGER
) STRICT;
CREATE INDEX dock_session_device ON dock_session(device_id, attached_at);
CREATE INDEX dock_session_open ON dock_session(state) WHERE finished_at IS NULL;

CREATE TABLE clip (
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
  vault_path           TEXT NOT NULL UNIQUE, -- relative to the vault root
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
  -- The checkout the clip was recorded under (custody, a later migration adds the table);
  -- NULL until custody links it, or for footage recorded outside a checkout (第三条).
  checkout_id          INTEGER,
  UNIQUE (device_id, original_path, size, mtime_ms)
) STRICT;
CREATE INDEX clip_officer_start ON clip(officer_id, start_at);
CREATE INDEX clip_device_start ON clip(device_id, start_at);
CREATE INDEX clip_important_start ON clip(start_at) WHERE important = 1;
CREATE INDEX clip_session ON clip(dock_session_id);
CREATE INDEX clip_checkout_start ON clip(checkout_id, start_at) WHERE checkout_id IS NOT NULL;
CREATE INDEX clip_hash ON clip(hash);

-- One row per file found on a docked camera, per dock session: the persisted state machine
-- discovered → copying → verifying → committed | failed(reason) | duplicate.
CREATE TABLE ingest_file (
  id                INTEGER PRIMARY KEY,
  dock_session_id   INTEGER NOT NULL REFERENCES dock_session(id),
  device_id         INTEGER NOT NULL REFERENCES device(id),
  original_path     TEXT NOT NULL,
  size              INTEGER NOT NULL,
  mtime_ms          INTEGER NOT NULL,
  kind              TEXT NOT NULL CHECK (kind IN ('video', 'audio', 'photo', 'other')),
  state             TEXT NOT NULL CHECK (state IN ('discovered', 'copying', 'verifying', 'committed', 'failed', 'duplicate')),
  failure_kind      TEXT,
  failure_message   TEXT,
  attempts          INTEGER NOT NULL DEFAULT 0,
  clip_id           INTEGER REFERENCES clip(id),
  updated_at        INTEGER NOT NULL,
  UNIQUE (dock_session_id, original_path)
) STRICT;
CREATE INDEX ingest_file_state ON ingest_file(state) WHERE state IN ('discovered', 'copying', 'verifying');
CREATE INDEX ingest_file_device_path ON ingest_file(device_id, original_path);

-- Things the station noticed on a camera and did not follow: symlinks, names leaving the volume.
CREATE TABLE dock_notice (
  id               INTEGER PRIMARY KEY,
  dock_session_id  INTEGER NOT NULL REFERENCES dock_session(id),
  kind             TEXT NOT NULL,
  path             TEXT NOT NULL,
  message          TEXT NOT NULL,
  at               INTEGER NOT NULL
) STRICT;
CREATE INDEX dock_notice_session ON dock_notice(dock_session_id);

-- Alarms a custodian or 综合处 must look at: an unregistered camera, a binding naming another
-- officer than the keeper, a copy that failed verification, the vault running out of space.
CREATE TABLE alarm (
  id               INTEGER PRIMARY KEY,
  kind             TEXT NOT NULL CHECK (kind IN ('unregistered_device', 'binding_mismatch', 'verify_failure', 'vault_low_space')),
  dock_session_id  INTEGER REFERENCES dock_session(id),
  device_id        INTEGER REFERENCES device(id),
  serial           TEXT,
  details_json     TEXT,
  raised_at        INTEGER NOT NULL,
  resolved_at      INTEGER,
  resolved_by      TEXT,
  resolution       TEXT
) STRICT;
CREATE INDEX alarm_open ON alarm(raised_at) WHERE resolved_at IS NULL;
