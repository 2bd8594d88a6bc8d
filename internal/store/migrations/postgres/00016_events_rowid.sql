-- +goose Up
-- SQLite rebuilds its events table with seq as the row number (see the
-- sqlite migration of the same number); PostgreSQL's BIGINT primary key is
-- already what it needs. The comment keeps both engines at one version.
COMMENT ON TABLE events IS 'the ledger''s entries: event n is leaf n-1 of the Merkle tree (ledger_nodes)';

-- +goose Down
COMMENT ON TABLE events IS NULL;
