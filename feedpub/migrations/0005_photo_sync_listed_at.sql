-- When a brand's prefix was last listed: a burst of runs of one brand lists S3 once a minute,
-- not once per run.
ALTER TABLE photo_sync ADD COLUMN listed_at timestamptz;
