-- +goose Up
-- Usage records (使用记录, Art. 29): the consumer's statement of how it uses
-- the data of a grant — scenario, process, effect, storage, destruction —
-- over a period of use. Records are append-only: each revision is a row of
-- its own, numbered per record, and the primary key on (id, version) is what
-- keeps two concurrent revisions of one version from both being stored.
-- consumer_id and provider_id copy the grant's parties so that a
-- department's records can be exported for an inspection without reading
-- its grants. retained_until is the last day (YYYY-MM-DD, Beijing) the
-- revision must be kept (at least three years); only the operator's purge
-- deletes rows, and only records whose newest revision is past it.

CREATE TABLE usage_records (
    id             TEXT NOT NULL,
    version        BIGINT NOT NULL,
    grant_id       TEXT NOT NULL REFERENCES grants (id),
    consumer_id    TEXT NOT NULL REFERENCES departments (id),
    provider_id    TEXT NOT NULL REFERENCES departments (id),
    scenario       TEXT NOT NULL,
    process        TEXT NOT NULL,
    effect         TEXT NOT NULL,
    storage        TEXT NOT NULL,
    destruction    TEXT NOT NULL,
    period_from    TEXT NOT NULL,
    period_to      TEXT NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL,
    created_by     TEXT NOT NULL,
    retained_until TEXT NOT NULL,
    PRIMARY KEY (id, version)
);
CREATE INDEX usage_records_grant ON usage_records (grant_id, id, version);
CREATE INDEX usage_records_grant_created ON usage_records (grant_id, created_at);
CREATE INDEX usage_records_consumer ON usage_records (consumer_id, created_at);
CREATE INDEX usage_records_retained ON usage_records (retained_until);

-- +goose Down
DROP TABLE usage_records;
