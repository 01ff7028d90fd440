-- Evidence discs (issue 21; 第十七、二十、二十一条): the export record, its clips and its discs.
-- The record is the export register (第二十条): who made it (制作人), for whom (提取人), when the
-- discs were made from the store (提取时间), who approved it, and each disc's image hash and
-- verification. A build's work is rebuilt from these rows after a restart (export/service.ts):
-- nothing of a half-built image is trusted, only what the rows say was read back equal.

CREATE TABLE export (
  id                   INTEGER PRIMARY KEY,
  case_id              INTEGER REFERENCES legal_case(id),
  purpose              TEXT NOT NULL CHECK (purpose IN ('evidence', 'provision', 'other')),
  note                 TEXT,
  medium               TEXT NOT NULL CHECK (medium IN ('cd', 'dvd', 'dvd_dl', 'bd25', 'bd50', 'drive')),
  -- medium 'drive': the drive whose blank's space (xorriso -tell_media_space) the discs are split for.
  drive_address        TEXT,
  state                TEXT NOT NULL CHECK (state IN ('pending_approval', 'approved', 'refused', 'building', 'ready', 'failed', 'handed_over', 'cancelled')),
  -- The set's id on every disc's bag-info (Bag-Group-Identifier).
  group_id             TEXT NOT NULL UNIQUE,
  maker_id             INTEGER REFERENCES person(id),
  maker_label          TEXT NOT NULL,
  -- 提取人: a registered person, or an outside one with unit and ID number.
  recipient_person_id  INTEGER REFERENCES person(id),
  recipient_name       TEXT NOT NULL,
  recipient_badge      TEXT,
  recipient_unit       TEXT,
  recipient_id_no      TEXT,
  -- Why a head's approval is needed, comma-separated approvalReasons; '' when it is not.
  needs_approval       TEXT NOT NULL,
  approved_by          TEXT,
  approved_by_id       INTEGER REFERENCES person(id),
  approved_at          INTEGER,
  decision_note        TEXT,
  extracted_at         INTEGER,
  handed_over_at       INTEGER,
  created_at           INTEGER NOT NULL,
  failure_code         TEXT,
  failure_message      TEXT,
  CHECK ((recipient_person_id IS NULL) = (recipient_unit IS NOT NULL AND recipient_id_no IS NOT NULL)),
  CHECK (state != 'handed_over' OR handed_over_at IS NOT NULL),
  CHECK ((state = 'failed') = (failure_code IS NOT NULL)),
  CHECK ((medium = 'drive') = (drive_address IS NOT NULL))
) STRICT;

CREATE INDEX export_case ON export(case_id) WHERE case_id IS NOT NULL;
-- What a restart must pick up, and the approver's pending list.
CREATE INDEX export_open ON export(state) WHERE state IN ('pending_approval', 'building');

-- The clips of an export, in the order they were chosen. disc and disc_path are set when the
-- build plans the discs; sha256 when the clip's file on its disc image was read back equal.
CREATE TABLE export_clip (
  export_id   INTEGER NOT NULL REFERENCES export(id),
  position    INTEGER NOT NULL,
  clip_id     INTEGER NOT NULL REFERENCES clip(id),
  disc        INTEGER,
  disc_path   TEXT,
  sha256      TEXT,
  PRIMARY KEY (export_id, clip_id),
  UNIQUE (export_id, position)
) STRICT, WITHOUT ROWID;

-- A clip's page lists its exports.
CREATE INDEX export_clip_clip ON export_clip(clip_id, export_id);

CREATE TABLE export_disc (
  export_id     INTEGER NOT NULL REFERENCES export(id),
  disc          INTEGER NOT NULL CHECK (disc >= 1),
  files         INTEGER NOT NULL,
  bytes         INTEGER NOT NULL,
  volume_id     TEXT NOT NULL,
  image_bytes   INTEGER,
  image_sha256  TEXT,
  verified_at   INTEGER,
  burned_at     INTEGER,
  burned_to     TEXT,
  -- Paper copies of the disc's 说明 printed at the station: the first for the case file, every later one marked 补打.
  sheet_prints  INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (export_id, disc),
  CHECK ((verified_at IS NULL) = (image_sha256 IS NULL))
) STRICT, WITHOUT ROWID;
