-- Decodes of a photo that began and never finished: the server ran out of memory or was
-- stopped while reading it. Counted up before each decode and down after it, so that a photo
-- that takes the server down is not offered again and again.
ALTER TABLE photos ADD COLUMN unfinished_decodes integer NOT NULL DEFAULT 0;
