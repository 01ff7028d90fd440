-- The vault path a file's commit chose, written (durably) before the clip is renamed there.
-- A crash between that rename and the transaction that indexes the clip leaves a verified copy
-- in the vault that no row names. The next dock of the camera finds this path on the
-- interrupted row and adopts that copy instead of storing the file a second time: before this,
-- adoption looked only at the folder the new attempt chose, which differs when the clock skew
-- measured at the new dock moves the clip's start across midnight (or the station's clock
-- moved), and the first copy stayed behind as an orphan.
ALTER TABLE ingest_file ADD COLUMN vault_path TEXT;
