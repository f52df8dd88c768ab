-- The console's own data: its people, their roles per brand, their sessions, the login attempts
-- counted against guessing, and who decided what. It lives in a schema of its own, reached by
-- a role of its own (feedpub_console) that may use this schema and nothing else: PostgreSQL
-- itself refuses the console any read of the ledger, the photos or the reports.
CREATE SCHEMA console;

-- A person who may log in. The address is kept in lower case: it is the login.
CREATE TABLE console.users (
    email          text        PRIMARY KEY CHECK (email = lower(email) AND email <> ''),
    password_hash  text        NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now()
);

-- What a person may do for a brand; no row, no access (the brand is not even shown).
CREATE TABLE console.memberships (
    email  text NOT NULL REFERENCES console.users (email) ON DELETE CASCADE,
    brand  text NOT NULL,
    role   text NOT NULL CHECK (role IN ('viewer', 'approver', 'admin')),
    PRIMARY KEY (email, brand)
);

-- A logged-in browser. ``id`` is the sha256 of the token in its cookie: the table alone lets
-- nobody in. Removing the row (logout, a removed user) ends the session at its next request.
CREATE TABLE console.sessions (
    id            text        PRIMARY KEY,
    email         text        NOT NULL REFERENCES console.users (email) ON DELETE CASCADE,
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_seen_at  timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz NOT NULL
);
CREATE INDEX sessions_email ON console.sessions (email);

-- Failed logins, per login address (kind 'email') and per client address (kind 'address'):
-- counted here so that every replica of the console refuses the same guesser.
CREATE TABLE console.login_attempts (
    id    bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind  text        NOT NULL CHECK (kind IN ('email', 'address')),
    who   text        NOT NULL,
    at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_attempts_who_at ON console.login_attempts (kind, who, at);

-- Every decision taken from the console: by a logged-in person (by_email) or through an
-- approval link (via 'link', no person). Kept when the person is removed.
CREATE TABLE console.decisions (
    id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workflow_id  text        NOT NULL,
    run_id       text        NOT NULL,
    brand        text        NOT NULL,
    decision     text        NOT NULL,
    by_email     text,
    via          text        NOT NULL CHECK (via IN ('login', 'link')),
    at           timestamptz NOT NULL DEFAULT now(),
    detail       text
);
CREATE INDEX decisions_run ON console.decisions (run_id);
CREATE INDEX decisions_brand_at ON console.decisions (brand, at DESC);

-- The console's role, without a login: whoever deploys gives it one (ALTER ROLE feedpub_console
-- LOGIN PASSWORD '...'). A database user that may not create roles (a managed database's
-- owner without CREATEROLE) leaves that to an administrator; the servers start all the same.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'feedpub_console') THEN
        CREATE ROLE feedpub_console NOLOGIN;
    END IF;
EXCEPTION WHEN insufficient_privilege THEN
    RAISE NOTICE 'role feedpub_console not created (no CREATEROLE): create it, then grant it '
        'the console schema as README.md says';
END
$$;

-- The role's reach: the console schema's rows, nothing else (no DDL, no other schema).
DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'feedpub_console') THEN
        GRANT USAGE ON SCHEMA console TO feedpub_console;
        GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA console TO feedpub_console;
        GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA console TO feedpub_console;
    ELSE
        RAISE NOTICE 'role feedpub_console missing: the console schema is granted to nobody';
    END IF;
END
$$;
