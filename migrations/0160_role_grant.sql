-- Four eyes on the powerful roles (issue 19).
--
-- Granting 系统管理员, 综合处 or 部门负责人 needs a second person: the grant waits ('pending') until
-- another active administrator or department head confirms it. A station that has no such second
-- person yet (a new station) lets the grant take effect at once ('unreviewed') and keeps it here
-- for the first head or second administrator to review. The requester and the grantee never
-- decide their own grant. Decided grants stay as the record of who asked and who agreed.
CREATE TABLE role_grant (
  id              INTEGER PRIMARY KEY,
  person_id       INTEGER NOT NULL REFERENCES person(id),
  role            TEXT NOT NULL CHECK (role IN ('administrator', 'general_office', 'department_head')),
  -- The requester: a person, or NULL for the station's own OS account (the CLI), named in the label.
  requested_by    INTEGER REFERENCES person(id),
  requested_label TEXT NOT NULL,
  requested_at    INTEGER NOT NULL,
  state           TEXT NOT NULL CHECK (state IN ('pending', 'unreviewed', 'confirmed', 'refused')),
  decided_by      INTEGER REFERENCES person(id),
  decided_label   TEXT,
  decided_at      INTEGER,
  reason          TEXT,
  CHECK ((state IN ('pending', 'unreviewed')) = (decided_at IS NULL))
) STRICT;

-- One open grant per person and role; the open list is what heads and administrators see on login.
CREATE UNIQUE INDEX role_grant_open ON role_grant(person_id, role) WHERE state IN ('pending', 'unreviewed');
CREATE INDEX role_grant_person ON role_grant(person_id, id);
