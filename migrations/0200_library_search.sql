-- The library's search (issue 20): library.search lists clips newest first under any mix of filters,
-- a page at a time (electron/core/library/library-search.ts). Each search walks one index in
-- (start_at, id) order and stops after a page; these are the indexes it needed that 0060 did not have.

-- Every clip by start time: a search with no officer, camera, checkout or case (a date range, a
-- work type, "everything"). Clips arrive roughly in time order, so inserts land at its end.
CREATE INDEX clip_start ON clip(start_at);

-- Damaged clips and the rarer kinds are few: walking every clip for them would read thousands of
-- rows a page. Partial indexes hold only those rows, so a video (most clips) costs them nothing.
CREATE INDEX clip_damaged_start ON clip(start_at) WHERE damaged = 1;
CREATE INDEX clip_kind_start ON clip(kind, start_at) WHERE kind != 'video';

-- A clip's history (library.clip): the audit rows about one object, without reading every row of
-- its type (audit_object is (object_type, seq): at a million clips, a million 'clip' rows).
CREATE INDEX audit_object_id ON audit(object_type, object_id, seq);
