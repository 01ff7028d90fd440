-- People, roles, cameras and the hash-chained audit log.
-- Times are UTC epoch milliseconds. Every table is STRICT.

CREATE TABLE station_setting (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

CREATE TABLE person (
  id               INTEGER PRIMARY KEY,
  badge            TEXT NOT NULL UNIQUE COLLATE NOCASE,  -- 警号
  name             TEXT NOT NULL,
  unit             TEXT,
  active           INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  password_hash    TEXT,
  pin_hash         TEXT,
  must_change_pin  INTEGER NOT NULL DEFAULT 0 CHECK (must_change_pin IN (0, 1)),
  failed_attempts  INTEGER NOT NULL DEFAULT 0,
  locked_until     INTEGER,
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL
) STRICT;

CREATE TABLE person_role (
  person_id INTEGER NOT NULL REFERENCES person(id),
  role      TEXT NOT NULL CHECK (role IN ('officer', 'custodian', 'general_office',
                                          'department_head', 'auditor', 'administrator')),
  PRIMARY KEY (person_id, role)
) STRICT, WITHOUT ROWID;

CREATE TABLE device (
  id             INTEGER PRIMARY KEY,
  serial         TEXT NOT NULL UNIQUE COLLATE NOCASE,  -- 产品序号
  model          TEXT,
  status         TEXT NOT NULL DEFAULT 'in_service'
                 CHECK (status IN ('in_service', 'out_of_service', 'retired')),
  status_reason  TEXT,
  keeper_id      INTEGER REFERENCES person(id),        -- 定人管理
  note           TEXT,
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL
) STRICT;
CREATE INDEX device_keeper ON device(keeper_id);

-- One row per spell of keepership; the open spell has to_at NULL.
CREATE TABLE device_keeper_spell (
  id           INTEGER PRIMARY KEY,
  device_id    INTEGER NOT NULL REFERENCES device(id),
  keeper_id    INTEGER REFERENCES person(id),
  from_at      INTEGER NOT NULL,
  to_at        INTEGER,
  assigned_by  TEXT NOT NULL
) STRICT;
CREATE INDEX device_keeper_spell_device ON device_keeper_spell(device_id, from_at);

-- The audit log: append-only; each row carries the SHA-256 of the row before it.
CREATE TABLE audit (
  seq          INTEGER PRIMARY KEY,
  at           INTEGER NOT NULL,
  actor_kind   TEXT NOT NULL CHECK (actor_kind IN ('person', 'os', 'station')),
  actor_id     INTEGER,
  actor_label  TEXT NOT NULL,
  action       TEXT NOT NULL,
  object_type  TEXT NOT NULL,
  object_id    TEXT,
  before_json  TEXT,
  after_json   TEXT,
  prev_hash    TEXT NOT NULL,
  hash         TEXT NOT NULL
) STRICT;
CREATE INDEX audit_object ON audit(object_type, seq);

-- Defence in depth: the station itself can never change or remove an audit row.
-- (Someone with the sqlite3 tool can drop these; the hash chain still catches them.)
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'audit rows are append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'audit rows are append-only'); END;
