-- +goose Up
-- Proxied services (代理服务): an upstream HTTP endpoint of a provider's own
-- system that serves one published catalog entry through the gateway
-- instead of a hosted dataset. body holds the whole endpoint as JSON under
-- the optimistic version; the columns are what lookups, listings and
-- visibility select on. The platform's signing secret is kept only
-- encrypted: secret_sealed is SM4-GCM (nonce || ciphertext, base64) under
-- the master key named by master_key_id, with "upstream:" || id as
-- associated data. At most one endpoint of an entry is active, so a query
-- is forwarded to exactly one place.

CREATE TABLE upstream_endpoints (
    id            TEXT PRIMARY KEY,
    entry_id      TEXT NOT NULL REFERENCES catalog_entries (id),
    provider_id   TEXT NOT NULL REFERENCES departments (id),
    division_code TEXT NOT NULL REFERENCES divisions (code),
    state         TEXT NOT NULL,
    version       BIGINT NOT NULL,
    master_key_id TEXT NOT NULL,
    secret_sealed TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    body          TEXT NOT NULL
);
CREATE UNIQUE INDEX upstream_endpoints_active ON upstream_endpoints (entry_id) WHERE state = 'active';
CREATE INDEX upstream_endpoints_provider ON upstream_endpoints (provider_id, id);
CREATE INDEX upstream_endpoints_division ON upstream_endpoints (division_code, id);

-- +goose Down
DROP TABLE upstream_endpoints;
