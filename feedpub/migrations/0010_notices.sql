-- What feedpub has told brands' teams: one row per event, claimed once.
-- ``answer`` is the decision as the claim gave it (send, folded, cleared, lost...): a claim
-- asked again (a retried notifier) gets the same answer back.
CREATE TABLE notices (
    event_id    text        PRIMARY KEY,
    brand       text        NOT NULL,
    kind        text        NOT NULL,
    condition   text        NOT NULL DEFAULT '',
    decision    text        NOT NULL
                CHECK (decision IN ('claiming', 'sent', 'folded', 'skipped', 'follow-up')),
    notice      jsonb,
    answer      jsonb,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX notices_created ON notices (created_at DESC);
CREATE INDEX notices_brand_created ON notices (brand, created_at DESC);

-- The problems open per brand (a failing post, a token running out...): repeats of one within
-- the brand's window are folded, counted, and told in one follow-up at ``follow_up_at``.
CREATE TABLE notice_conditions (
    brand         text        NOT NULL,
    condition     text        NOT NULL,
    kind          text        NOT NULL,
    opened_at     timestamptz NOT NULL,
    last_sent_at  timestamptz NOT NULL,
    folded        integer     NOT NULL DEFAULT 0,
    follow_up_at  timestamptz,
    PRIMARY KEY (brand, condition)
);

-- Whether each destination (the NOTIFY_* variable, never its URL) took each message. A failed
-- delivery not yet ``told`` is mentioned by the brand's next message.
CREATE TABLE notice_deliveries (
    event_id     text        NOT NULL,
    destination  text        NOT NULL,
    brand        text        NOT NULL,
    delivered    boolean     NOT NULL,
    reason       text,
    told         boolean     NOT NULL DEFAULT false,
    at           timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (event_id, destination)
);
CREATE INDEX notice_deliveries_lost ON notice_deliveries (brand, at)
    WHERE NOT delivered AND NOT told;
