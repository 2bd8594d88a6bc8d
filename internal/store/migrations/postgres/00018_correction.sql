-- +goose Up
-- Checking and correction of shared data (校核纠错, Art. 26).
--
-- corrections: the consumer's correction requests (校核申请) and the
-- provider's single answer. The request itself is the JSON body; the columns
-- beside it are what listings, scopes and the to-do list filter on. version
-- is the optimistic check that lets one of two concurrent answers win.
CREATE TABLE corrections (
    id                TEXT PRIMARY KEY,
    grant_id          TEXT NOT NULL REFERENCES grants (id),
    entry_id          TEXT NOT NULL,
    consumer_id       TEXT NOT NULL REFERENCES departments (id),
    consumer_division TEXT NOT NULL,
    provider_id       TEXT NOT NULL REFERENCES departments (id),
    provider_division TEXT NOT NULL,
    state             TEXT NOT NULL,
    due               TEXT NOT NULL,
    version           BIGINT NOT NULL,
    created_at        TIMESTAMPTZ NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL,
    body              TEXT NOT NULL
);
CREATE INDEX corrections_consumer ON corrections (consumer_id, state, id);
CREATE INDEX corrections_provider ON corrections (provider_id, state, id);
CREATE INDEX corrections_grant ON corrections (grant_id, id);

-- usage_statuses: the consumer's usage status (使用状态) of each grant's
-- data, append-only; the primary key keeps two writers of one version from
-- both being stored.
CREATE TABLE usage_statuses (
    grant_id    TEXT NOT NULL REFERENCES grants (id),
    version     BIGINT NOT NULL,
    consumer_id TEXT NOT NULL REFERENCES departments (id),
    provider_id TEXT NOT NULL REFERENCES departments (id),
    status      TEXT NOT NULL,
    note        TEXT NOT NULL,
    set_by      TEXT NOT NULL,
    set_at      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (grant_id, version)
);

-- correction_rules: each department's correction rules and channel
-- (校核纠错规则、纠错渠道), one row per version, never changed.
CREATE TABLE correction_rules (
    department_id TEXT NOT NULL REFERENCES departments (id),
    version       BIGINT NOT NULL,
    rules         TEXT NOT NULL,
    contact       TEXT NOT NULL,
    phone         TEXT NOT NULL,
    url           TEXT NOT NULL,
    note          TEXT NOT NULL,
    created_by    TEXT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (department_id, version)
);

-- +goose Down
DROP TABLE correction_rules;
DROP TABLE usage_statuses;
DROP TABLE corrections;
