-- +goose Up
-- The tamper-evident tree over the events (issue #5). Event n is leaf n-1
-- of an RFC 6962 Merkle tree; the tree is integrated after the events are
-- committed, and each integration is sealed by a signed checkpoint.

-- The tree's state: one row, written at the first integration.
CREATE TABLE ledger_state (
    id             INTEGER PRIMARY KEY CHECK (id = 1),
    -- the leaf and node hash, chosen at set-up and never changed: sm3 or sha256
    hash_algorithm TEXT NOT NULL,
    -- events integrated into the tree, and the tree's root hash at that size
    size           BIGINT NOT NULL,
    root           BYTEA NOT NULL,
    -- the latest checkpoint, a signed note (docs/ledger.md)
    checkpoint     TEXT NOT NULL,
    -- events 1..purged were removed after their retention; their leaf
    -- hashes stay in ledger_nodes, so the tree and its proofs stand
    purged         BIGINT NOT NULL DEFAULT 0
);

-- Every perfect subtree's hash: level 0 holds the leaf hashes, level k the
-- roots of the subtrees of 2^k leaves. Proofs read them; verification
-- recomputes them from the events.
CREATE TABLE ledger_nodes (
    level INTEGER NOT NULL,
    idx   BIGINT NOT NULL,
    hash  BYTEA NOT NULL,
    PRIMARY KEY (level, idx)
);

-- Checkpoints kept as anchors for verification: at most one a minute.
CREATE TABLE ledger_checkpoints (
    size BIGINT PRIMARY KEY,
    at   TIMESTAMPTZ NOT NULL,
    note TEXT NOT NULL
);

-- +goose Down
DROP TABLE ledger_checkpoints;
DROP TABLE ledger_nodes;
DROP TABLE ledger_state;
