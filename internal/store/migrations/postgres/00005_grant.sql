-- +goose Up
-- Grants (共享授权): what an approved application gives (Art. 22, 25, 27).
-- One grant per application, created in the reply's transaction. The columns
-- are what listings and visibility select on; body holds the whole grant as
-- JSON (items, purpose, expiry, conditions, history, consents), so that each
-- command is one row update under the optimistic version check. state is the
-- stored state (active, suspended, terminated); expired is derived from
-- expires_at when read.

CREATE TABLE grants (
    id                TEXT PRIMARY KEY,
    application_id    TEXT NOT NULL UNIQUE REFERENCES applications (id),
    entry_id          TEXT NOT NULL,
    consumer_id       TEXT NOT NULL REFERENCES departments (id),
    consumer_division TEXT NOT NULL REFERENCES divisions (code),
    provider_id       TEXT NOT NULL REFERENCES departments (id),
    provider_division TEXT NOT NULL REFERENCES divisions (code),
    state             TEXT NOT NULL,
    expires_at        TIMESTAMPTZ NOT NULL,
    version           BIGINT NOT NULL,
    created_at        TIMESTAMPTZ NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL,
    body              TEXT NOT NULL
);
CREATE INDEX grants_consumer ON grants (consumer_id, id);
CREATE INDEX grants_provider ON grants (provider_id, id);
CREATE INDEX grants_entry ON grants (entry_id);

-- +goose Down
DROP TABLE grants;
