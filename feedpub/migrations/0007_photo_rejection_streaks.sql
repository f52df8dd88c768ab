-- Photos a brand found unusable one after another for the same cause: the breaker that stops
-- a fault of ours (a decoder refusing every HEIC, say) from rejecting a whole library.
-- A usable photo, or photos put back by an operator, end the streak.
CREATE TABLE photo_rejection_streaks (
    brand       text        PRIMARY KEY,
    cause       text        NOT NULL,
    count       integer     NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now()
);
