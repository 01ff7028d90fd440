-- migrate: foreign_keys=off
-- A new alarm kind, files_exposed (issue 19, files at rest): station files that other accounts on
-- the machine may read or change, because the disk keeps no modes (FAT, some network shares) or
-- another account owns them. Raised and resolved by the station at each start and after its walk
-- of the vault (electron/core/alarms/files-exposed.ts). The kinds are a CHECK constraint, which
-- SQLite cannot alter, so the table is rebuilt as in 0140 (new table, copy, drop, rename); ids are
-- kept. Nothing refers to alarm rows.

CREATE TABLE alarm_new (
  id               INTEGER PRIMARY KEY,
  kind             TEXT NOT NULL CHECK (kind IN ('unregistered_device', 'binding_mismatch', 'verify_failure', 'vault_low_space', 'vault_unavailable', 'probe_unavailable', 'footage_unreadable', 'profile_invalid', 'files_exposed')),
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
