-- Start-up closes the dock sessions a stop left open (not finished, or the camera never seen
-- leaving: IngestRepository.closeInterruptedSessions). With only dock_session_open (not finished)
-- indexed, "not detached" scanned every dock session ever: 0.4 s at a million clips from a cold
-- disk, about 2 s at five million, before the station could answer. Cameras on the dock now are a
-- handful of rows; this index holds only them.
CREATE INDEX dock_session_attached ON dock_session(id) WHERE detached_at IS NULL;
