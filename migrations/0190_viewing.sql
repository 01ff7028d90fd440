-- Viewing under approval (issue 20; 第十八、十九、二十、二十一条): view requests and their decision,
-- grants (from an approved request, or a standing grant a head gives directly), and the view
-- register (查阅登记), one row per view session, written by the station alone.

CREATE TABLE view_request (
  id              INTEGER PRIMARY KEY,
  requester_id    INTEGER NOT NULL REFERENCES person(id),
  reason          TEXT NOT NULL CHECK (length(reason) > 0),   -- 查阅事由, free text
  purpose         TEXT NOT NULL CHECK (purpose IN ('litigation', 'supervision', 'case_analysis', 'other')),  -- 第十九条
  scope           TEXT NOT NULL CHECK (scope IN ('clips', 'case', 'checkout')),
  case_id         INTEGER REFERENCES legal_case(id),
  checkout_id     INTEGER REFERENCES checkout(id),
  hours           INTEGER NOT NULL CHECK (hours > 0),         -- how long the requester asks for
  requested_at    INTEGER NOT NULL,
  state           TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'approved', 'refused', 'withdrawn')),
  decided_at      INTEGER,
  decided_by      TEXT,
  decided_by_id   INTEGER REFERENCES person(id),
  -- The approver's note, or the reason of a refusal.
  decision_note   TEXT,
  CHECK ((scope = 'case') = (case_id IS NOT NULL)),
  CHECK ((scope = 'checkout') = (checkout_id IS NOT NULL)),
  CHECK ((state = 'pending') = (decided_at IS NULL))
) STRICT;

-- The approver's home: what waits.
CREATE INDEX view_request_pending ON view_request(id) WHERE state = 'pending';
CREATE INDEX view_request_requester ON view_request(requester_id, id);

-- The clips a 'clips' request names.
CREATE TABLE view_request_clip (
  request_id  INTEGER NOT NULL REFERENCES view_request(id),
  clip_id     INTEGER NOT NULL REFERENCES clip(id),
  PRIMARY KEY (request_id, clip_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE view_grant (
  id                INTEGER PRIMARY KEY,
  grantee_id        INTEGER NOT NULL REFERENCES person(id),
  -- NULL: a standing grant a head gave directly; it never opens a secret clip.
  request_id        INTEGER UNIQUE REFERENCES view_request(id),
  purpose           TEXT NOT NULL CHECK (purpose IN ('litigation', 'supervision', 'case_analysis', 'other')),
  reason            TEXT NOT NULL,
  -- 'all': every clip that is not secret (standing grants only). The clips of a 'clips' grant are
  -- its request's (view_request_clip); a case's clips are read when a view is checked.
  scope             TEXT NOT NULL CHECK (scope IN ('all', 'clips', 'case', 'checkout')),
  case_id           INTEGER REFERENCES legal_case(id),
  checkout_id       INTEGER REFERENCES checkout(id),
  granted_at        INTEGER NOT NULL,
  granted_by        TEXT NOT NULL,
  granted_by_id     INTEGER NOT NULL REFERENCES person(id),
  -- Whether the approver was a department head when deciding: only such a grant opens a secret clip
  -- (第二十一条), whatever role the station's approver setting names later.
  by_head           INTEGER NOT NULL CHECK (by_head IN (0, 1)),
  expires_at        INTEGER NOT NULL,
  revoked_at        INTEGER,
  revoked_by        TEXT,
  revoked_by_id     INTEGER REFERENCES person(id),
  revoke_reason     TEXT,
  CHECK (scope != 'all' OR request_id IS NULL),
  CHECK ((scope = 'case') = (case_id IS NOT NULL)),
  CHECK ((scope = 'checkout') = (checkout_id IS NOT NULL)),
  CHECK (scope != 'clips' OR request_id IS NOT NULL),
  CHECK ((revoked_at IS NULL) = (revoke_reason IS NULL))
) STRICT;

-- A viewer's grants, checked at every byte range served.
CREATE INDEX view_grant_grantee ON view_grant(grantee_id, expires_at);

-- 查阅登记: one row per view session. Reason, purpose and approver are copied as they were, so the
-- register reads the same after a grant is revoked or a person renamed.
CREATE TABLE view_register (
  id              INTEGER PRIMARY KEY,
  viewer_id       INTEGER NOT NULL REFERENCES person(id),
  viewer          TEXT NOT NULL,            -- 查阅人's name as it was
  clip_id         INTEGER NOT NULL REFERENCES clip(id),
  -- NULL: an officer's own recent footage, under the station's setting.
  grant_id        INTEGER REFERENCES view_grant(id),
  reason          TEXT NOT NULL,            -- 查阅事由
  purpose         TEXT CHECK (purpose IN ('litigation', 'supervision', 'case_analysis', 'other')),
  approver        TEXT,
  opened_at       INTEGER NOT NULL,
  closed_at       INTEGER,
  closed_because  TEXT CHECK (closed_because IN ('closed', 'expired', 'revoked', 'not_granted', 'interrupted')),
  bytes_served    INTEGER NOT NULL DEFAULT 0 CHECK (bytes_served >= 0),
  CHECK ((closed_at IS NULL) = (closed_because IS NULL))
) STRICT;

CREATE INDEX view_register_viewer ON view_register(viewer_id, id);
CREATE INDEX view_register_clip ON view_register(clip_id, id);
CREATE INDEX view_register_opened ON view_register(opened_at);
CREATE INDEX view_register_open ON view_register(id) WHERE closed_at IS NULL;

-- The register is the station's record of who saw what: a row is never removed, and what it says
-- of a view never changes; only a session's end and the bytes it served are written later.
CREATE TRIGGER view_register_no_delete BEFORE DELETE ON view_register
BEGIN
  SELECT RAISE(ABORT, 'view_register rows are never deleted');
END;

CREATE TRIGGER view_register_fixed BEFORE UPDATE ON view_register
WHEN NEW.id IS NOT OLD.id OR NEW.viewer_id IS NOT OLD.viewer_id OR NEW.viewer IS NOT OLD.viewer
  OR NEW.clip_id IS NOT OLD.clip_id OR NEW.grant_id IS NOT OLD.grant_id OR NEW.reason IS NOT OLD.reason
  OR NEW.purpose IS NOT OLD.purpose OR NEW.approver IS NOT OLD.approver OR NEW.opened_at IS NOT OLD.opened_at
  OR (OLD.closed_at IS NOT NULL AND (NEW.closed_at IS NOT OLD.closed_at OR NEW.closed_because IS NOT OLD.closed_because
      OR NEW.bytes_served IS NOT OLD.bytes_served))
  OR NEW.bytes_served < OLD.bytes_served
BEGIN
  SELECT RAISE(ABORT, 'a view_register row records a view as it happened');
END;
