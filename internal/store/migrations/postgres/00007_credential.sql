-- +goose Up
-- Application systems (应用系统) of consumer departments and their
-- credentials for the service interface (Art. 22). body holds the whole
-- system as JSON under the optimistic version; the columns are what listings
-- and visibility select on. A credential's secret is kept only encrypted:
-- secret_sealed is SM4-GCM (nonce || ciphertext, base64) under the master
-- key named by master_key_id, with the key_id as associated data.
-- gateway_nonces remembers each signed request's nonce per key until it can
-- no longer be replayed; the primary key makes a replay fail on every node.

CREATE TABLE app_systems (
    id            TEXT PRIMARY KEY,
    department_id TEXT NOT NULL REFERENCES departments (id),
    division_code TEXT NOT NULL REFERENCES divisions (code),
    name          TEXT NOT NULL,
    state         TEXT NOT NULL,
    version       BIGINT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL,
    body          TEXT NOT NULL,
    UNIQUE (department_id, name)
);
CREATE INDEX app_systems_division ON app_systems (division_code, id);

CREATE TABLE system_credentials (
    key_id        TEXT PRIMARY KEY,
    system_id     TEXT NOT NULL REFERENCES app_systems (id),
    state         TEXT NOT NULL,
    master_key_id TEXT NOT NULL,
    secret_sealed TEXT NOT NULL,
    created_by    TEXT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    grace_until   TIMESTAMPTZ,
    revoked_at    TIMESTAMPTZ
);
CREATE INDEX system_credentials_system ON system_credentials (system_id, created_at);

CREATE TABLE gateway_nonces (
    key_id     TEXT NOT NULL,
    nonce      TEXT NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (key_id, nonce)
);
CREATE INDEX gateway_nonces_expires ON gateway_nonces (expires_at);

-- +goose Down
DROP TABLE gateway_nonces;
DROP TABLE system_credentials;
DROP TABLE app_systems;
