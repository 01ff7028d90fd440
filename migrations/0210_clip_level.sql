-- A clip's effective level (第二十一条: the highest of its own, clip_class, and of every case it is
-- in, legal_case through case_clip), kept for every clip above normal, with its start time, so a
-- search by level walks (rank, start_at, clip_id) newest first and stops after a page, as the other
-- library drivers do. Derived from the three tables by the triggers below: every writer of those
-- tables keeps it true without knowing it exists. Clip inserts (the ingest's hot path) touch none
-- of them: a clip enters this table only when it is classified or added to a case.
--
-- rank: 1 internal, 2 commercial secret, 3 state secret (library-search.ts RANK_SQL).

CREATE TABLE clip_level (
  clip_id   INTEGER PRIMARY KEY REFERENCES clip(id),
  rank      INTEGER NOT NULL CHECK (rank BETWEEN 1 AND 3),
  start_at  INTEGER
) STRICT;

CREATE INDEX clip_level_rank_start ON clip_level(rank, start_at, clip_id);

-- Every clip classified or in a case, as the tables are now.
INSERT INTO clip_level (clip_id, rank, start_at)
SELECT c.id, r.rank, c.start_at
  FROM (SELECT clip_id FROM clip_class UNION SELECT clip_id FROM case_clip) x
  JOIN clip c ON c.id = x.clip_id
  JOIN (SELECT x2.clip_id,
               max(IFNULL((SELECT CASE confidentiality WHEN 'internal' THEN 1 WHEN 'commercial_secret' THEN 2 WHEN 'state_secret' THEN 3 ELSE 0 END
                             FROM clip_class WHERE clip_id = x2.clip_id), 0),
                   IFNULL((SELECT max(CASE l.confidentiality WHEN 'internal' THEN 1 WHEN 'commercial_secret' THEN 2 WHEN 'state_secret' THEN 3 ELSE 0 END)
                             FROM case_clip cc JOIN legal_case l ON l.id = cc.case_id WHERE cc.clip_id = x2.clip_id), 0)) AS rank
          FROM (SELECT clip_id FROM clip_class UNION SELECT clip_id FROM case_clip) x2) r ON r.clip_id = c.id
 WHERE r.rank > 0;

-- One clip's row made again from the three tables (the same rule as the backfill above).
-- SQLite triggers take no parameters, so each trigger repeats it for its clip. Not a view of the
-- rule: SQLite does not push `clip_id = ?` into a grouped UNION view, so each trigger would scan
-- every classification and case link (tried: EXPLAIN QUERY PLAN shows SCAN clip_class); these
-- read one clip's rows by key.

CREATE TRIGGER clip_level_class_insert AFTER INSERT ON clip_class BEGIN
  DELETE FROM clip_level WHERE clip_id = NEW.clip_id;
  INSERT INTO clip_level (clip_id, rank, start_at)
  SELECT c.id, r.rank, c.start_at FROM clip c,
    (SELECT max(IFNULL((SELECT CASE confidentiality WHEN 'internal' THEN 1 WHEN 'commercial_secret' THEN 2 WHEN 'state_secret' THEN 3 ELSE 0 END
                          FROM clip_class WHERE clip_id = NEW.clip_id), 0),
                IFNULL((SELECT max(CASE l.confidentiality WHEN 'internal' THEN 1 WHEN 'commercial_secret' THEN 2 WHEN 'state_secret' THEN 3 ELSE 0 END)
                          FROM case_clip cc JOIN legal_case l ON l.id = cc.case_id WHERE cc.clip_id = NEW.clip_id), 0)) AS rank) r
   WHERE c.id = NEW.clip_id AND r.rank > 0;
END;

CREATE TRIGGER clip_level_class_update AFTER UPDATE OF confidentiality ON clip_class BEGIN
  DELETE FROM clip_level WHERE clip_id = NEW.clip_id;
  INSERT INTO clip_level (clip_id, rank, start_at)
  SELECT c.id, r.rank, c.start_at FROM clip c,
    (SELECT max(IFNULL((SELECT CASE confidentiality WHEN 'internal' THEN 1 WHEN 'commercial_secret' THEN 2 WHEN 'state_secret' THEN 3 ELSE 0 END
                          FROM clip_class WHERE clip_id = NEW.clip_id), 0),
                IFNULL((SELECT max(CASE l.confidentiality WHEN 'internal' THEN 1 WHEN 'commercial_secret' THEN 2 WHEN 'state_secret' THEN 3 ELSE 0 END)
                          FROM case_clip cc JOIN legal_case l ON l.id = cc.case_id WHERE cc.clip_id = NEW.clip_id), 0)) AS rank) r
   WHERE c.id = NEW.clip_id AND r.rank > 0;
END;

CREATE TRIGGER clip_level_class_delete AFTER DELETE ON clip_class BEGIN
  DELETE FROM clip_level WHERE clip_id = OLD.clip_id;
  INSERT INTO clip_level (clip_id, rank, start_at)
  SELECT c.id, r.rank, c.start_at FROM clip c,
    (SELECT IFNULL((SELECT max(CASE l.confidentiality WHEN 'internal' THEN 1 WHEN 'commercial_secret' THEN 2 WHEN 'state_secret' THEN 3 ELSE 0 END)
                      FROM case_clip cc JOIN legal_case l ON l.id = cc.case_id WHERE cc.clip_id = OLD.clip_id), 0) AS rank) r
   WHERE c.id = OLD.clip_id AND r.rank > 0;
END;

CREATE TRIGGER clip_level_case_clip_insert AFTER INSERT ON case_clip BEGIN
  DELETE FROM clip_level WHERE clip_id = NEW.clip_id;
  INSERT INTO clip_level (clip_id, rank, start_at)
  SELECT c.id, r.rank, c.start_at FROM clip c,
    (SELECT max(IFNULL((SELECT CASE confidentiality WHEN 'internal' THEN 1 WHEN 'commercial_secret' THEN 2 WHEN 'state_secret' THEN 3 ELSE 0 END
                          FROM clip_class WHERE clip_id = NEW.clip_id), 0),
                IFNULL((SELECT max(CASE l.confidentiality WHEN 'internal' THEN 1 WHEN 'commercial_secret' THEN 2 WHEN 'state_secret' THEN 3 ELSE 0 END)
                          FROM case_clip cc JOIN legal_case l ON l.id = cc.case_id WHERE cc.clip_id = NEW.clip_id), 0)) AS rank) r
   WHERE c.id = NEW.clip_id AND r.rank > 0;
END;

CREATE TRIGGER clip_level_case_clip_delete AFTER DELETE ON case_clip BEGIN
  DELETE FROM clip_level WHERE clip_id = OLD.clip_id;
  INSERT INTO clip_level (clip_id, rank, start_at)
  SELECT c.id, r.rank, c.start_at FROM clip c,
    (SELECT max(IFNULL((SELECT CASE confidentiality WHEN 'internal' THEN 1 WHEN 'commercial_secret' THEN 2 WHEN 'state_secret' THEN 3 ELSE 0 END
                          FROM clip_class WHERE clip_id = OLD.clip_id), 0),
                IFNULL((SELECT max(CASE l.confidentiality WHEN 'internal' THEN 1 WHEN 'commercial_secret' THEN 2 WHEN 'state_secret' THEN 3 ELSE 0 END)
                          FROM case_clip cc JOIN legal_case l ON l.id = cc.case_id WHERE cc.clip_id = OLD.clip_id), 0)) AS rank) r
   WHERE c.id = OLD.clip_id AND r.rank > 0;
END;

-- A case's level changed: every clip in it, each by the same rule.
CREATE TRIGGER clip_level_case_update AFTER UPDATE OF confidentiality ON legal_case BEGIN
  DELETE FROM clip_level WHERE clip_id IN (SELECT clip_id FROM case_clip WHERE case_id = NEW.id);
  INSERT INTO clip_level (clip_id, rank, start_at)
  SELECT id, lvl, start_at FROM (
    SELECT c.id,
           max(IFNULL((SELECT CASE confidentiality WHEN 'internal' THEN 1 WHEN 'commercial_secret' THEN 2 WHEN 'state_secret' THEN 3 ELSE 0 END
                         FROM clip_class WHERE clip_id = c.id), 0),
               IFNULL((SELECT max(CASE l.confidentiality WHEN 'internal' THEN 1 WHEN 'commercial_secret' THEN 2 WHEN 'state_secret' THEN 3 ELSE 0 END)
                         FROM case_clip cc2 JOIN legal_case l ON l.id = cc2.case_id WHERE cc2.clip_id = c.id), 0)) AS lvl,
           c.start_at
      FROM case_clip cc JOIN clip c ON c.id = cc.clip_id
     WHERE cc.case_id = NEW.id)
   WHERE lvl > 0;
END;
