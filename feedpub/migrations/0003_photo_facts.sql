-- What feedpub measured on a photo the first time it looked at it (size, orientation,
-- dominant colours, brightness, sharpness) and its 64-bit perceptual hash in hex, so that a
-- near-duplicate of a photo already posted for the brand is skipped.
ALTER TABLE photos ADD COLUMN IF NOT EXISTS phash text;
ALTER TABLE photos ADD COLUMN IF NOT EXISTS facts jsonb;
CREATE INDEX IF NOT EXISTS photos_posted_hashes ON photos (brand)
    WHERE status = 'used' AND phash IS NOT NULL;
