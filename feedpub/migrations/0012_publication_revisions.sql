-- A planned post can change until its slot (an edit, another photo, a new decision): each
-- change is a revision, and each revision of a run has its own row per platform, so an
-- Instagram container made for an older revision is never the one published.
ALTER TABLE publications ADD COLUMN revision integer NOT NULL DEFAULT 0;
ALTER TABLE publications DROP CONSTRAINT publications_pkey;
ALTER TABLE publications ADD PRIMARY KEY (run_id, platform, revision);
