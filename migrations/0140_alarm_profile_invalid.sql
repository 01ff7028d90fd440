-- migrate: foreign_keys=off
-- A new alarm kind, profile_invalid: a camera profile file (profiles/<id>.json) that does not load.
-- The station skips it and docks every other model instead of refusing to start; the alarm names
-- the file, the field and the problem (electron/core/alarms/profile-invalid.ts). One open alarm per
-- file, resolved by the station when a later load finds the file loading (or gone). The kinds are a
-- CHECK constraint, which SQLite cannot alter, so the table is rebuilt as in 0120 (new table, copy,
-- drop, rename); ids are kept. Nothing refers to alarm rows.

CREATE TABLE alarm_new (
  id               INTEGER PRIMARY KEY,
  kind             TEXT NOT NULL CHECK (kind IN ('unregistered_device', 'binding_mismatch', 'verify_failure', 'vault_low_space', 'vault_unavailable', 'probe_unavailable', 'footage_unreadable', 'profile_invalid')),
  dock_session_id  INTEGER REFERENCES dock_session(id),
  device_id        INTEGER REFERENCES device(id),
  serial           TEXT,
  details_json     TEXT,
  raised_at        INTEGER NOT NULL,
  resolved_at      INTEGER,
  resolved_by      TEXT,
  resolution       TEXT
) STRICT;

INSERT INTO alarm_new SELECT id, kind, dock_session_id, device_id, serial, details_json, raised_at, resolved_at, resolved_by, resolution FROM alarm;

DROP TABLE alarm;
ALTER TABLE alarm_new RENAME TO alarm;

CREATE INDEX alarm_open ON alarm(raised_at) WHERE resolved_at IS NULL;
