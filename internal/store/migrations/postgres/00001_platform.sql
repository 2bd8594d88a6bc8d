-- +goose Up
-- The platform skeleton: administrative divisions, departments with their sharing
-- offices (Art. 8, 11, 43), people and their roles, sign-in state, the imported
-- working-day calendar notices, and the record of every act.

CREATE TABLE divisions (
    code        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    level       TEXT NOT NULL,
    parent_code TEXT REFERENCES divisions (code),
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX divisions_parent ON divisions (parent_code);

CREATE TABLE departments (
    id               TEXT PRIMARY KEY,
    name             TEXT NOT NULL,
    division_code    TEXT NOT NULL REFERENCES divisions (code),
    kind             TEXT NOT NULL,
    credit_code      TEXT UNIQUE,
    office_name      TEXT NOT NULL DEFAULT '',
    office_head_id   TEXT,
    version          BIGINT NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL,
    UNIQUE (division_code, name)
);
-- At most one competent authority per division (Art. 8).
CREATE UNIQUE INDEX departments_one_authority ON departments (division_code) WHERE kind = 'authority';

CREATE TABLE people (
    id              TEXT PRIMARY KEY,
    username        TEXT NOT NULL UNIQUE,
    display_name    TEXT NOT NULL,
    department_id   TEXT REFERENCES departments (id),
    password_hash   TEXT NOT NULL,
    failed_sign_ins INTEGER NOT NULL DEFAULT 0,
    locked_until    TIMESTAMPTZ,
    disabled        BOOLEAN NOT NULL DEFAULT FALSE,
    version         BIGINT NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX people_department ON people (department_id);

CREATE TABLE person_roles (
    person_id TEXT NOT NULL REFERENCES people (id),
    role      TEXT NOT NULL,
    PRIMARY KEY (person_id, role)
);

-- Only digests of session and token secrets are stored: a copy of this table
-- lets nobody sign in.
CREATE TABLE sessions (
    token_digest TEXT PRIMARY KEY,
    person_id    TEXT NOT NULL REFERENCES people (id),
    created_at   TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_person ON sessions (person_id);

CREATE TABLE api_tokens (
    id           TEXT PRIMARY KEY,
    person_id    TEXT NOT NULL REFERENCES people (id),
    name         TEXT NOT NULL,
    token_digest TEXT NOT NULL UNIQUE,
    created_at   TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ,
    revoked_at   TIMESTAMPTZ,
    last_used_at TIMESTAMPTZ
);
CREATE INDEX api_tokens_person ON api_tokens (person_id);

-- Official holiday notices imported after release; the years shipped in the
-- binary are not stored here unless an administrator replaces one.
CREATE TABLE calendar_years (
    year        INTEGER PRIMARY KEY,
    notice      TEXT NOT NULL,
    body        TEXT NOT NULL,
    imported_by TEXT NOT NULL, -- a person id, or "cli:<user>" for the command line
    imported_at TIMESTAMPTZ NOT NULL
);

-- One row, holding the number of events so far: taking the next sequence
-- number locks it, so events are numbered without gaps in commit order. The
-- tamper-evident ledger builds its tree over exactly this sequence.
CREATE TABLE event_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    size BIGINT NOT NULL
);
INSERT INTO event_head (id, size) VALUES (1, 0);

CREATE TABLE events (
    seq           BIGINT PRIMARY KEY,
    at            TIMESTAMPTZ NOT NULL,
    actor_id      TEXT NOT NULL,
    department_id TEXT,
    action        TEXT NOT NULL,
    object_type   TEXT NOT NULL,
    object_id     TEXT NOT NULL,
    -- the department the object belongs to, so that acts done to a
    -- department by someone outside it are in that department's record
    object_department_id TEXT,
    digest        TEXT NOT NULL
);
CREATE INDEX events_object ON events (object_type, object_id);
CREATE INDEX events_department ON events (department_id, seq);
CREATE INDEX events_object_department ON events (object_department_id, seq);

-- +goose Down
DROP TABLE events;
DROP TABLE event_head;
DROP TABLE calendar_years;
DROP TABLE api_tokens;
DROP TABLE sessions;
DROP TABLE person_roles;
DROP TABLE people;
DROP TABLE departments;
DROP TABLE divisions;
