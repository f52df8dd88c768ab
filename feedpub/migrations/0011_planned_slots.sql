-- One run plans each (brand, slot): whatever starts a second run for the same slot (a trigger,
-- a changed plan_ahead, a schedule applied again), the second finds the first one's claim.
-- A run cancelled before its slot releases it; a run that went through keeps it, so the slot
-- is never planned again.
CREATE TABLE planned_slots (
    brand        text        NOT NULL,
    slot         timestamptz NOT NULL,
    workflow_id  text        NOT NULL,
    run_id       text        NOT NULL,
    claimed_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (brand, slot)
);
CREATE INDEX planned_slots_slot ON planned_slots (slot);
