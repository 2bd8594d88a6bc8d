-- +goose Up
-- Hosted datasets (托管数据): the rows a provider loads for one of its
-- published catalog entries. datasets is the per-entry head: the dataset
-- version (one per load), the last change number handed out and the live
-- row count; a load updates it first, so loads of one entry run one after
-- the other and change numbers are unique and gapless per entry.
-- dataset_rows holds each row's latest state by its canonical key (the JSON
-- object of the key items' values), with a tombstone for a deleted row;
-- dataset_changes is the change feed batch exchange pages through: every
-- insert, update and delete, numbered.

CREATE TABLE datasets (
    entry_id    TEXT PRIMARY KEY REFERENCES catalog_entries (id),
    provider_id TEXT NOT NULL REFERENCES departments (id),
    version     BIGINT NOT NULL,
    last_seq    BIGINT NOT NULL,
    row_count   BIGINT NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);

CREATE TABLE dataset_rows (
    entry_id   TEXT NOT NULL REFERENCES datasets (entry_id),
    row_key    TEXT NOT NULL,
    data       TEXT NOT NULL,
    deleted    BOOLEAN NOT NULL,
    seq        BIGINT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (entry_id, row_key)
);
CREATE INDEX dataset_rows_live ON dataset_rows (entry_id, deleted);

CREATE TABLE dataset_changes (
    entry_id TEXT NOT NULL REFERENCES datasets (entry_id),
    seq      BIGINT NOT NULL,
    op       TEXT NOT NULL,
    row_key  TEXT NOT NULL,
    data     TEXT,
    version  BIGINT NOT NULL,
    at       TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (entry_id, seq)
);

-- +goose Down
DROP TABLE dataset_changes;
DROP TABLE dataset_rows;
DROP TABLE datasets;
