-- A run finds the photo it reserved (or used) by its run id, without reading the brand's
-- whole ledger.
CREATE INDEX photos_by_run ON photos (run_id) WHERE run_id IS NOT NULL;
