-- What a short look by Claude says a photo shows, with the traits read from its facts
-- (``feedpub.photo_traits``): a list of ``dimension:value``, stamped with the ETag of the
-- version looked at. ``traits_asked_at``: a look is under way (sent in a batch), so that two
-- looks do not ask for the same photo.
ALTER TABLE photos ADD COLUMN traits jsonb;
ALTER TABLE photos ADD COLUMN traits_etag text;
ALTER TABLE photos ADD COLUMN traits_asked_at timestamptz;
CREATE INDEX photos_without_traits ON photos (brand) WHERE traits IS NULL AND status = 'available';

-- A post's figures as Meta gave them at +24 h and +7 d, one row per (run, platform, age),
-- kept beside the run's report. ``traits`` are the photo's when it was posted;
-- ``engagement_per_reach`` is what the learning weighs (NULL when there is no reach yet).
CREATE TABLE post_insights (
    run_id       text        NOT NULL,
    platform     text        NOT NULL CHECK (platform IN ('facebook', 'instagram')),
    age          text        NOT NULL CHECK (age IN ('24h', '7d')),
    brand        text        NOT NULL,
    photo_key    text,
    post_id      text        NOT NULL,
    figures      jsonb       NOT NULL,
    notes        jsonb       NOT NULL DEFAULT '[]',
    permission_missing text,
    traits       jsonb       NOT NULL DEFAULT '[]',
    engagement_per_reach double precision,
    read_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (run_id, platform, age)
);
CREATE INDEX post_insights_brand_read ON post_insights (brand, read_at DESC);
