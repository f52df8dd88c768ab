-- A photo another run holds counts for the near-duplicate check as a posted one does: a
-- planned run holds its photo for hours before posting it.
CREATE INDEX photos_held_hashes ON photos (brand) WHERE status = 'reserved' AND phash IS NOT NULL;
