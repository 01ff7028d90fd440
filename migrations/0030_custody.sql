-- Custody: checkouts (领用) with their pre-shift checks (第七条) and offload deadlines (第十五条),
-- faults and maintenance (第六条), no-recording records (第五条), footage recorded outside a
-- checkout (第三条) and late offloads, kept for supervision. Times are UTC epoch milliseconds.
-- "..._by" columns hold the actor's audit label, so a row reads without joins; "..._by_id" the person.

CREATE TABLE checkout (
  id                       INTEGER PRIMARY KEY,
  device_id                INTEGER NOT NULL REFERENCES device(id),
  officer_id               INTEGER NOT NULL REFERENCES person(id),
  work_type                TEXT NOT NULL CHECK (work_type IN ('routine_inspection', 'complaint_handling',
                             'investigation', 'compulsory_measure', 'other_onsite')),           -- 第四条
  note                     TEXT,
  checked_out_at           INTEGER NOT NULL,
  issued_by                TEXT NOT NULL,
  issued_by_id             INTEGER REFERENCES person(id),
  expected_end_at          INTEGER NOT NULL,
  -- The deadline by the same-day rule, kept so a declared exception can never bring it forward.
  same_day_deadline_at     INTEGER NOT NULL,
  deadline_at              INTEGER NOT NULL,
  deadline_rule            TEXT NOT NULL CHECK (deadline_rule IN ('same_day', 'exception')),
  exception_kind           TEXT CHECK (exception_kind IN ('continuous_work', 'away_from_unit', 'remote_area')),
  exception_reason         TEXT,
  exception_return_at      INTEGER,
  exception_declared_at    INTEGER,
  exception_declared_by    TEXT,
  override_reason          TEXT,
  override_by              TEXT,
  override_by_id           INTEGER REFERENCES person(id),
  status                   TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'offloaded', 'returned')),
  -- The offload that completed it: when the camera was docked, when its ingest finished, which dock.
  docked_at                INTEGER,
  offloaded_at             INTEGER,
  offload_dock_session_id  INTEGER REFERENCES dock_session(id),
  returned_at              INTEGER,
  received_by              TEXT,
  received_by_id           INTEGER REFERENCES person(id),
  return_condition         TEXT CHECK (return_condition IN ('good', 'damaged')),
  return_note              TEXT,
  return_fault_id          INTEGER REFERENCES fault(id),   -- damage noted at the return
  CHECK ((deadline_rule = 'exception') = (exception_kind IS NOT NULL)),
  CHECK ((status = 'returned') = (returned_at IS NOT NULL))
) STRICT;
-- One open checkout per camera, held by the database itself.
CREATE UNIQUE INDEX checkout_open_device ON checkout(device_id) WHERE returned_at IS NULL;
CREATE INDEX checkout_device ON checkout(device_id, checked_out_at);
CREATE INDEX checkout_officer ON checkout(officer_id, checked_out_at);
CREATE INDEX checkout_not_offloaded ON checkout(deadline_at) WHERE offloaded_at IS NULL;
CREATE INDEX checkout_not_returned ON checkout(checked_out_at) WHERE returned_at IS NULL;

-- Each pre-shift check as it stood when the camera went out, with the value read and how it was settled.
CREATE TABLE checkout_check (
  checkout_id      INTEGER NOT NULL REFERENCES checkout(id),
  check_kind       TEXT NOT NULL CHECK (check_kind IN ('battery', 'free_space', 'clock', 'footage', 'fault')),
  result           TEXT NOT NULL CHECK (result IN ('pass', 'fail', 'unknown')),
  reason           TEXT NOT NULL,
  value            INTEGER,
  limit_value      INTEGER,
  dock_session_id  INTEGER REFERENCES dock_session(id),
  read_at          INTEGER,
  resolution       TEXT NOT NULL CHECK (resolution IN ('passed', 'confirmed', 'overridden')),
  PRIMARY KEY (checkout_id, check_kind)
) STRICT, WITHOUT ROWID;

CREATE TABLE fault (
  id              INTEGER PRIMARY KEY,
  device_id       INTEGER NOT NULL REFERENCES device(id),
  description     TEXT NOT NULL,
  checkout_id     INTEGER REFERENCES checkout(id),
  reported_at     INTEGER NOT NULL,
  reported_by     TEXT NOT NULL,
  reported_by_id  INTEGER REFERENCES person(id),
  closed_at       INTEGER,
  closed_by       TEXT,
  closed_by_id    INTEGER REFERENCES person(id),
  resolution      TEXT,
  CHECK ((closed_at IS NULL) = (resolution IS NULL))
) STRICT;
CREATE INDEX fault_open ON fault(device_id, reported_at) WHERE closed_at IS NULL;
CREATE INDEX fault_device ON fault(device_id, reported_at);

CREATE TABLE maintenance (
  id           INTEGER PRIMARY KEY,
  device_id    INTEGER NOT NULL REFERENCES device(id),
  fault_id     INTEGER REFERENCES fault(id),
  description  TEXT NOT NULL,
  at           INTEGER NOT NULL,
  by_label     TEXT NOT NULL,
  by_id        INTEGER REFERENCES person(id)
) STRICT;
CREATE INDEX maintenance_device ON maintenance(device_id, at);
CREATE INDEX maintenance_fault ON maintenance(fault_id) WHERE fault_id IS NOT NULL;

-- 第五条: 工作记录 for a work activity not recorded, reported to a department head.
CREATE TABLE no_recording (
  id                 INTEGER PRIMARY KEY,
  officer_id         INTEGER NOT NULL REFERENCES person(id),
  checkout_id        INTEGER REFERENCES checkout(id),
  reason             TEXT NOT NULL CHECK (reason IN ('secret_or_privacy', 'emergency', 'objective_cause')),
  detail             TEXT NOT NULL,
  occurred_at        INTEGER NOT NULL,
  place              TEXT NOT NULL,
  head_id            INTEGER NOT NULL REFERENCES person(id),
  filed_at           INTEGER NOT NULL,
  filed_by           TEXT NOT NULL,
  filed_by_id        INTEGER REFERENCES person(id),
  acknowledged_at    INTEGER,
  acknowledged_note  TEXT
) STRICT;
CREATE INDEX no_recording_officer ON no_recording(officer_id, occurred_at);
CREATE INDEX no_recording_checkout ON no_recording(checkout_id) WHERE checkout_id IS NOT NULL;
CREATE INDEX no_recording_pending ON no_recording(head_id, filed_at) WHERE acknowledged_at IS NULL;

-- 第十五条 supervision: an offload that came after its deadline (who, which checkout, how late).
CREATE TABLE late_offload (
  id               INTEGER PRIMARY KEY,
  checkout_id      INTEGER NOT NULL REFERENCES checkout(id),
  dock_session_id  INTEGER NOT NULL REFERENCES dock_session(id),
  officer_id       INTEGER NOT NULL REFERENCES person(id),
  device_id        INTEGER NOT NULL REFERENCES device(id),
  deadline_at      INTEGER NOT NULL,
  docked_at        INTEGER NOT NULL,
  late_ms          INTEGER NOT NULL CHECK (late_ms > 0),
  recorded_at      INTEGER NOT NULL,
  UNIQUE (checkout_id, dock_session_id)
) STRICT;
CREATE INDEX late_offload_recorded ON late_offload(recorded_at);
CREATE INDEX late_offload_officer ON late_offload(officer_id, recorded_at);

-- 第三条: footage of a dock that no checkout covers, or clips recorded outside their checkout's time.
CREATE TABLE outside_recording (
  id               INTEGER PRIMARY KEY,
  dock_session_id  INTEGER NOT NULL UNIQUE REFERENCES dock_session(id),
  device_id        INTEGER NOT NULL REFERENCES device(id),
  checkout_id      INTEGER REFERENCES checkout(id),
  kind             TEXT NOT NULL CHECK (kind IN ('no_checkout', 'outside_window')),
  flagged_at       INTEGER NOT NULL,
  reviewed_at      INTEGER,
  reviewed_by      TEXT,
  reviewed_by_id   INTEGER REFERENCES person(id),
  review_note      TEXT
) STRICT;
CREATE INDEX outside_recording_unreviewed ON outside_recording(flagged_at) WHERE reviewed_at IS NULL;
CREATE INDEX outside_recording_flagged ON outside_recording(flagged_at);

CREATE TABLE outside_recording_clip (
  outside_recording_id  INTEGER NOT NULL REFERENCES outside_recording(id),
  clip_id               INTEGER NOT NULL REFERENCES clip(id),
  PRIMARY KEY (outside_recording_id, clip_id)
) STRICT, WITHOUT ROWID;

-- Which finished dock sessions custody has accounted for (linked clips, offloaded a checkout,
-- flagged footage), so a dock is handled exactly once, also after a crash between the two.
CREATE TABLE custody_dock (
  dock_session_id  INTEGER PRIMARY KEY REFERENCES dock_session(id),
  checkout_id      INTEGER REFERENCES checkout(id),
  outcome          TEXT NOT NULL CHECK (outcome IN ('before_custody', 'offloaded', 'incomplete', 'no_checkout', 'nothing')),
  processed_at     INTEGER NOT NULL
) STRICT;

-- Docks that finished before custody existed are not judged by rules they could not follow.
INSERT INTO custody_dock (dock_session_id, checkout_id, outcome, processed_at)
  SELECT id, NULL, 'before_custody', finished_at FROM dock_session WHERE finished_at IS NOT NULL;
