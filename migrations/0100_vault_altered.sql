-- The clips whose vault file the last `station verify` found altered (or damaged): no longer
-- hashing as when they were stored. Replaced by each check; a clip's row removed when a dock puts
-- its file right. A dock stats every known clip's vault file, so a missing one is found without
-- this table, but it does not re-hash them: this is how it knows that a file still there was
-- altered, so the camera's original can be put back and the altered file set aside (guarantee 4,
-- docs/architecture.md). Only the altered are kept: a dead disk replaced makes every clip missing,
-- millions of rows that would say nothing a stat does not.
CREATE TABLE vault_altered (
  clip_id      INTEGER PRIMARY KEY REFERENCES clip(id),
  actual_hash  TEXT NOT NULL,      -- what the file hashed to
  found_at     INTEGER NOT NULL
) STRICT;
