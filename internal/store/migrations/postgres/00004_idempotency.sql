-- +goose Up
-- Responses to POSTs that carried an Idempotency-Key, so that a client that
-- retries after a lost answer gets the first answer instead of a second act.
-- status 0 marks a request still being served. Kept for a day.
CREATE TABLE idempotency_keys (
    actor_id       TEXT NOT NULL,
    idem_key       TEXT NOT NULL,
    request_digest TEXT NOT NULL,
    status         INTEGER NOT NULL,
    content_type   TEXT NOT NULL,
    body           TEXT NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (actor_id, idem_key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);

-- +goose Down
DROP TABLE idempotency_keys;
