-- migrate: foreign_keys=off
-- A new alarm kind, footage_unreadable: part of a docked camera's footage folders could not be read
-- whole (a folder that cannot be listed, an entry that cannot be examined, a special file), so
-- footage may be left on the camera unseen; its dock ends failed, never "safe to remove"
-- (electron/core/ingest/discover.ts, issue 17). One open alarm per camera, resolved by the station
-- when a later dock of that camera reads its whole footage tree. The kinds are a CHECK constraint,
-- which SQLite cannot alter, so the table is rebuilt (new table, copy, drop, rename); ids are kept.
-- Nothing refers to alarm rows.

CREATE TABLE alarm_new (
  id               INTEGER PRIMARY KEY,
  kind             TEXT NOT NULL CHECK (kind IN ('unregistered_device', 'binding_mismatch', 'verify_failure', 'vault_low_space', 'vault_unavailable', 'probe_unavailable', 'footage_unreadable')),
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
