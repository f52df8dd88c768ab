-- The photo ledger: one row per photo of a brand's S3 prefix.
CREATE TABLE photos (
    brand        text        NOT NULL,
    key          text        NOT NULL,
    etag         text,
    size_bytes   bigint,
    status       text        NOT NULL DEFAULT 'available'
                 CHECK (status IN ('available', 'reserved', 'used', 'rejected')),
    run_id       text,
    reserved_at  timestamptz,
    used_at      timestamptz,
    reason       text,
    first_seen_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (brand, key)
);
-- A run holds at most one photo at a time; a retried reservation finds it again.
CREATE UNIQUE INDEX photos_one_reservation_per_run ON photos (run_id) WHERE status = 'reserved';
CREATE INDEX photos_available ON photos (brand) WHERE status = 'available';

-- One report per workflow run.
CREATE TABLE publication_reports (
    run_id       text        PRIMARY KEY,
    workflow_id  text        NOT NULL,
    brand        text        NOT NULL,
    status       text        NOT NULL,
    photo_key    text,
    report       jsonb       NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX publication_reports_brand_created ON publication_reports (brand, created_at DESC);
