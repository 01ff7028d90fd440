-- The evidence library's classification (issue 20; 第四、二十一条): a clip's work type when it differs
-- from its checkout's, a note, its confidentiality; cases (案件) as records of their own, each with
-- a confidentiality, and the clips that belong to them (a clip to any number of cases). 重点 stays
-- the clip's own column (clip.important, with its partial index). A clip's effective level is the
-- highest of its own and its cases' (electron/core/library/confidentiality.ts).
--
-- Kept beside the clip table rather than in it: the clip row is what a dock writes, 70 000 a second
-- into indexes that already carry every column (0060, 0150); classification is a person's later
-- judgement, written a clip at a time.

CREATE TABLE clip_class (
  clip_id          INTEGER PRIMARY KEY REFERENCES clip(id),
  -- 第四条: NULL means the covering checkout's work type.
  work_type        TEXT CHECK (work_type IN ('routine_inspection', 'complaint_handling', 'investigation', 'compulsory_measure', 'other_onsite')),
  confidentiality  TEXT NOT NULL DEFAULT 'normal' CHECK (confidentiality IN ('normal', 'internal', 'commercial_secret', 'state_secret')),
  note             TEXT,
  updated_at       INTEGER NOT NULL
) STRICT;

-- The secret clips, found without reading every classification: searches hide them.
CREATE INDEX clip_class_secret ON clip_class(clip_id) WHERE confidentiality IN ('commercial_secret', 'state_secret');

CREATE TABLE legal_case (
  id               INTEGER PRIMARY KEY,
  case_no          TEXT NOT NULL UNIQUE,   -- 案件编号
  cause            TEXT NOT NULL,          -- 案由
  handler_id       INTEGER REFERENCES person(id),  -- 承办人, when registered at the station
  handler_name     TEXT NOT NULL,          -- 承办人 as written (a person outside the registry too)
  confidentiality  TEXT NOT NULL DEFAULT 'normal' CHECK (confidentiality IN ('normal', 'internal', 'commercial_secret', 'state_secret')),
  note             TEXT,
  created_at       INTEGER NOT NULL,
  created_by       TEXT NOT NULL,
  updated_at       INTEGER NOT NULL
) STRICT;

CREATE INDEX legal_case_secret ON legal_case(id) WHERE confidentiality IN ('commercial_secret', 'state_secret');

CREATE TABLE case_clip (
  case_id   INTEGER NOT NULL REFERENCES legal_case(id),
  clip_id   INTEGER NOT NULL REFERENCES clip(id),
  added_at  INTEGER NOT NULL,
  added_by  TEXT NOT NULL,
  PRIMARY KEY (case_id, clip_id)
) STRICT, WITHOUT ROWID;

-- A clip's cases (its page, its effective level).
CREATE INDEX case_clip_clip ON case_clip(clip_id, case_id);
