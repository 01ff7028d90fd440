-- What the last `station verify` found wrong with a clip's file in the vault: missing, no longer
-- matching the clip's hash (altered or damaged), or unreadable. Replaced by each check, and a
-- clip's row removed when a dock puts its file right. A dock stats every known clip's vault file
-- (a missing one is found without this table), but it does not re-hash them: this is how it knows
-- that a file still there was altered, so the camera's original can be put back and the altered
-- file set aside (guarantee 4, docs/architecture.md).
CREATE TABLE vault_finding (
  clip_id      INTEGER PRIMARY KEY REFERENCES clip(id),
  problem      TEXT NOT NULL CHECK (problem IN ('missing', 'mismatch', 'unreadable')),
  actual_hash  TEXT,               -- for a mismatch: what the file hashed to
  found_at     INTEGER NOT NULL
) STRICT;
