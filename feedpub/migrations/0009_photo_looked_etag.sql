-- The S3 ETag of the photo as it was when its facts were measured and Claude's copy of it was
-- stored beside its prepared image: a later look at the same, unchanged photo serves both
-- without decoding it again, whichever server replica looks.
ALTER TABLE photos ADD COLUMN looked_etag text;
