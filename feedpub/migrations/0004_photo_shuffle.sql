-- Reservation without sorting all of a brand's photos on every run: each photo holds a random
-- place in a shuffled order (drawn again when it is given back), and a reservation takes the
-- first free photo after a random point of that order, straight from this index.
ALTER TABLE photos ADD COLUMN shuffle double precision NOT NULL DEFAULT random();
CREATE INDEX photos_available_shuffled ON photos (brand, shuffle) WHERE status = 'available';
