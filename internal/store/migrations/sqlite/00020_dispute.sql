-- +goose Up
-- Disputes between a consumer and a provider department (争议, Art. 28).
-- The dispute itself — parties, coordinating authority, stages with their
-- deadlines, the record of claims, positions, opinions, the agreement or
-- the government's decision — is the JSON body; the columns are what
-- listings, the to-do list and the optimistic version check read.
-- authority_division is the coordinating authority's division: authorities
-- and auditors whose region holds it see the dispute.
CREATE TABLE disputes (
    id                 TEXT PRIMARY KEY,
    consumer_id        TEXT NOT NULL REFERENCES departments (id),
    provider_id        TEXT NOT NULL REFERENCES departments (id),
    authority_id       TEXT NOT NULL REFERENCES departments (id),
    authority_division TEXT NOT NULL,
    state              TEXT NOT NULL,
    version            BIGINT NOT NULL,
    created_at         TIMESTAMP NOT NULL,
    updated_at         TIMESTAMP NOT NULL,
    body               TEXT NOT NULL
);
CREATE INDEX disputes_consumer ON disputes (consumer_id, state);
CREATE INDEX disputes_provider ON disputes (provider_id, state);
CREATE INDEX disputes_authority ON disputes (authority_id, state);
CREATE INDEX disputes_authority_division ON disputes (authority_division);

-- +goose Down
DROP TABLE disputes;
