-- +goose Up
-- Changes of a delivered sharing service by its provider (服务变更, Art. 27
-- ¶3): the proposal, the consultation of the consumers concerned, the
-- filing with the provider's same-level authority and its answer are the
-- JSON body; the columns are what listings, the to-do list and the
-- optimistic version check read.
CREATE TABLE service_changes (
    id                TEXT PRIMARY KEY,
    entry_id          TEXT NOT NULL,
    provider_id       TEXT NOT NULL REFERENCES departments (id),
    provider_division TEXT NOT NULL,
    authority_id      TEXT NOT NULL REFERENCES departments (id),
    state             TEXT NOT NULL,
    version           BIGINT NOT NULL,
    created_at        TIMESTAMPTZ NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL,
    body              TEXT NOT NULL
);
CREATE INDEX service_changes_entry ON service_changes (entry_id, state);
-- One change under way per entry: of two proposals made at once, one wins.
CREATE UNIQUE INDEX service_changes_one_open ON service_changes (entry_id)
    WHERE state IN ('consulting', 'filed', 'acknowledged');

-- The departments a change concerns (provider, consumers consulted,
-- authority) with their divisions: a department lists the changes it is a
-- party to, an authority or auditor those with a party in its region.
CREATE TABLE service_change_parties (
    change_id     TEXT NOT NULL REFERENCES service_changes (id),
    department_id TEXT NOT NULL REFERENCES departments (id),
    division_code TEXT NOT NULL,
    PRIMARY KEY (change_id, department_id)
);
CREATE INDEX service_change_parties_department ON service_change_parties (department_id);
CREATE INDEX service_change_parties_division ON service_change_parties (division_code);

-- +goose Down
DROP TABLE service_change_parties;
DROP TABLE service_changes;
