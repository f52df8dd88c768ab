-- One row per (run, platform): what was asked of Meta and what came back, written before and
-- after each call, so that a retry knows what may already exist.
CREATE TABLE publications (
    run_id              text        NOT NULL,
    platform            text        NOT NULL CHECK (platform IN ('facebook', 'instagram')),
    brand               text        NOT NULL,
    media_key           text        NOT NULL,
    caption             text        NOT NULL,
    state               text        NOT NULL DEFAULT 'new',
    attempts            integer     NOT NULL DEFAULT 0,
    fb_photo_id         text,
    fb_post_id          text,
    ig_container_id     text,
    ig_container_status text,
    ig_media_id         text,
    permalink           text,
    last_error          text,
    call_started_at     timestamptz,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (run_id, platform)
);
CREATE INDEX publications_brand_platform ON publications (brand, platform);

-- Problems an operator must act on, per brand (an expired token, a missing permission).
CREATE TABLE brand_alerts (
    brand       text        NOT NULL,
    kind        text        NOT NULL,
    message     text        NOT NULL,
    since       timestamptz NOT NULL DEFAULT now(),
    last_seen   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (brand, kind)
);

-- Incremental S3 sync: the last key seen per brand and when the prefix was last fully listed.
CREATE TABLE photo_sync (
    brand           text        PRIMARY KEY,
    last_key        text,
    full_listing_at timestamptz
);
ALTER TABLE photos ADD COLUMN content_sha256 text;
