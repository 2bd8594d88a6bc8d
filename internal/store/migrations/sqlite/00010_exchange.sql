-- +goose Up
-- Batch exchange (批量交换) and return flow (回流, Art. 24).
-- exchange_subscriptions holds two kinds: a consumer's push endpoint for a
-- batch-exchange grant (kind push), and an upper-level provider's return
-- flow of one hosted entry to a lower-level department, filtered by the
-- division data item (kind return_flow). The pusher's progress (cursor,
-- attempts, next_attempt_at, lease_until) lives in columns it updates on
-- its own, so that a page is acknowledged exactly when the cursor moves.
-- secret_sealed is the push signing secret, SM4-GCM under the master key
-- named by secret_key_id, with the subscription ID as associated data.
-- exchange_deliveries is the readable record of every pull and push
-- attempt: who, which items, how many rows, the outcome; never values.

CREATE TABLE exchange_subscriptions (
    id                  TEXT PRIMARY KEY,
    kind                TEXT NOT NULL,
    grant_id            TEXT REFERENCES grants (id),
    entry_id            TEXT NOT NULL REFERENCES catalog_entries (id),
    provider_id         TEXT NOT NULL REFERENCES departments (id),
    provider_division   TEXT NOT NULL REFERENCES divisions (code),
    subscriber_id       TEXT NOT NULL REFERENCES departments (id),
    subscriber_division TEXT NOT NULL REFERENCES divisions (code),
    division_item       TEXT,
    items               TEXT NOT NULL,
    endpoint_url        TEXT,
    secret_key_id       TEXT,
    secret_sealed       TEXT,
    state               TEXT NOT NULL,
    cursor              TEXT NOT NULL,
    attempts            INTEGER NOT NULL,
    next_attempt_at     TIMESTAMP,
    lease_until         TIMESTAMP,
    last_status         INTEGER,
    last_error          TEXT,
    delivered_rows      BIGINT NOT NULL,
    last_delivery_at    TIMESTAMP,
    created_by          TEXT NOT NULL,
    created_at          TIMESTAMP NOT NULL,
    updated_at          TIMESTAMP NOT NULL,
    cancelled_by        TEXT,
    cancelled_at        TIMESTAMP,
    cancel_reason       TEXT,
    version             BIGINT NOT NULL
);
CREATE UNIQUE INDEX exchange_push_active ON exchange_subscriptions (grant_id) WHERE state = 'active' AND kind = 'push';
CREATE UNIQUE INDEX exchange_return_flow_active ON exchange_subscriptions (entry_id, subscriber_id) WHERE state = 'active' AND kind = 'return_flow';
CREATE INDEX exchange_subscriptions_subscriber ON exchange_subscriptions (subscriber_id, id);
CREATE INDEX exchange_subscriptions_provider ON exchange_subscriptions (provider_id, id);
CREATE INDEX exchange_subscriptions_due ON exchange_subscriptions (kind, state, next_attempt_at);

CREATE TABLE exchange_deliveries (
    id              TEXT PRIMARY KEY,
    subscription_id TEXT REFERENCES exchange_subscriptions (id),
    grant_id        TEXT REFERENCES grants (id),
    entry_id        TEXT NOT NULL,
    department_id   TEXT NOT NULL,
    system_id       TEXT,
    mode            TEXT NOT NULL,
    phase           TEXT NOT NULL,
    from_seq        BIGINT NOT NULL,
    to_seq          BIGINT NOT NULL,
    pin             BIGINT NOT NULL,
    rows_delivered  INTEGER NOT NULL,
    checksum        TEXT NOT NULL,
    items           TEXT NOT NULL,
    purpose         TEXT NOT NULL,
    outcome         TEXT NOT NULL,
    http_status     INTEGER,
    attempt         INTEGER NOT NULL,
    at              TIMESTAMP NOT NULL
);
CREATE INDEX exchange_deliveries_subscription ON exchange_deliveries (subscription_id, id);
CREATE INDEX exchange_deliveries_grant ON exchange_deliveries (grant_id, id);

-- The snapshot pages live rows by change number below its pin, and the
-- return flow looks up a row's previous state to turn a move out of the
-- region into a delete.
CREATE INDEX dataset_rows_seq ON dataset_rows (entry_id, seq);
CREATE INDEX dataset_changes_key ON dataset_changes (entry_id, row_key, seq);

-- +goose Down
DROP INDEX dataset_changes_key;
DROP INDEX dataset_rows_seq;
DROP TABLE exchange_deliveries;
DROP TABLE exchange_subscriptions;
