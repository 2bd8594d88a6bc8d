-- +goose Up
-- The catalog (Art. 12–19): entries, their numbered versions and data items,
-- update obligations after legal or duty changes, and source departments.
-- The SQLite file adds full-text indexes (catalog_search, catalog_bigrams) at the end; the
-- rest is identical but for TIMESTAMPTZ, which SQLite spells TIMESTAMP.

-- Hands out entry sequence numbers: the search order and the full-text key.
CREATE TABLE catalog_seq (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n  BIGINT NOT NULL
);
INSERT INTO catalog_seq (id, n) VALUES (1, 0);

-- One row per entry: who provides it, which version is worked on, which is in
-- force; and the published version's search fields, denormalised so that a
-- search filters one table.
CREATE TABLE catalog_entries (
    id                TEXT PRIMARY KEY,
    seq               BIGINT NOT NULL UNIQUE,
    provider_id       TEXT NOT NULL REFERENCES departments (id),
    division_code     TEXT NOT NULL,
    resource_code     TEXT NOT NULL UNIQUE,
    state             TEXT NOT NULL,
    working_version   INTEGER NOT NULL,
    published_version INTEGER,
    authority_id      TEXT,
    version           BIGINT NOT NULL,
    created_at        TIMESTAMP NOT NULL,
    updated_at        TIMESTAMP NOT NULL,
    search_text       TEXT,
    search_attribute  TEXT,
    search_methods    TEXT,
    search_grade      TEXT
);
CREATE INDEX catalog_entries_provider ON catalog_entries (provider_id, state);
CREATE INDEX catalog_entries_authority ON catalog_entries (authority_id, state);
CREATE INDEX catalog_entries_published ON catalog_entries (seq) WHERE published_version IS NOT NULL;
-- Search by provider or region, newest first, reads only published entries.
CREATE INDEX catalog_entries_published_provider ON catalog_entries (provider_id, seq) WHERE published_version IS NOT NULL;
CREATE INDEX catalog_entries_published_division ON catalog_entries (division_code, seq) WHERE published_version IS NOT NULL;

CREATE TABLE catalog_versions (
    entry_id             TEXT NOT NULL REFERENCES catalog_entries (id),
    number               INTEGER NOT NULL,
    state                TEXT NOT NULL,
    name                 TEXT NOT NULL,
    abstract             TEXT NOT NULL,
    resource_code        TEXT NOT NULL,
    class_code           TEXT NOT NULL,
    item_code            TEXT NOT NULL,
    category_code        TEXT NOT NULL,
    sub_category_code    TEXT NOT NULL,
    format_class         TEXT NOT NULL,
    format_type          TEXT NOT NULL,
    update_frequency     TEXT NOT NULL,
    sharing_attribute    TEXT NOT NULL,
    delivery_methods     TEXT NOT NULL, -- comma-separated
    usage_scope          TEXT,
    permitted_uses       TEXT,
    not_shareable_reason TEXT,
    legal_basis_kind     TEXT,
    legal_basis_name     TEXT,
    legal_basis_article  TEXT,
    open_attribute       TEXT NOT NULL,
    open_condition       TEXT NOT NULL,
    secrecy              TEXT NOT NULL,
    grade                TEXT NOT NULL,
    secrecy_conclusion   TEXT,
    secrecy_assessed_on  TEXT,
    secrecy_assessor     TEXT,
    secrecy_summary      TEXT,
    pi_conclusion        TEXT,
    pi_assessed_on       TEXT,
    pi_assessor          TEXT,
    pi_summary           TEXT,
    review_authority_id  TEXT,
    submitted_at         TIMESTAMP,
    submitted_by         TEXT,
    review_due           TEXT,
    review_rule          TEXT,
    decided_at           TIMESTAMP,
    decided_by           TEXT,
    opinion              TEXT,
    return_reasons       TEXT,
    published_at         TIMESTAMP,
    created_at           TIMESTAMP NOT NULL,
    updated_at           TIMESTAMP NOT NULL,
    PRIMARY KEY (entry_id, number)
);

CREATE TABLE catalog_items (
    entry_id       TEXT NOT NULL,
    version_number INTEGER NOT NULL,
    item_no        INTEGER NOT NULL,
    name           TEXT NOT NULL,
    data_type      TEXT NOT NULL,
    length         INTEGER NOT NULL,
    is_key         BOOLEAN NOT NULL,
    required       BOOLEAN NOT NULL,
    description    TEXT NOT NULL,
    grade          TEXT NOT NULL,
    PRIMARY KEY (entry_id, version_number, item_no),
    FOREIGN KEY (entry_id, version_number) REFERENCES catalog_versions (entry_id, number)
);
-- Duplicate detection and source departments look items up by name (Art. 19).
CREATE INDEX catalog_items_name ON catalog_items (name);

CREATE TABLE catalog_obligations (
    id                     TEXT PRIMARY KEY,
    entry_id               TEXT NOT NULL REFERENCES catalog_entries (id),
    entry_name             TEXT NOT NULL,
    provider_id            TEXT NOT NULL REFERENCES departments (id),
    authority_id           TEXT NOT NULL REFERENCES departments (id),
    changed_on             TEXT NOT NULL,
    kind                   TEXT NOT NULL,
    description            TEXT NOT NULL,
    due                    TEXT NOT NULL,
    rule                   TEXT NOT NULL,
    extension_state        TEXT,
    extension_reason       TEXT,
    extension_requested_at TIMESTAMP,
    extension_requested_by TEXT,
    extension_decided_at   TIMESTAMP,
    extension_decided_by   TEXT,
    extension_note         TEXT,
    extension_original_due TEXT,
    fulfilled_at           TIMESTAMP,
    fulfilled_version      INTEGER,
    late                   BOOLEAN NOT NULL,
    recorded_by            TEXT NOT NULL,
    created_at             TIMESTAMP NOT NULL,
    version                BIGINT NOT NULL
);
CREATE INDEX catalog_obligations_entry ON catalog_obligations (entry_id);
CREATE INDEX catalog_obligations_provider ON catalog_obligations (provider_id, fulfilled_at);
CREATE INDEX catalog_obligations_authority ON catalog_obligations (authority_id, extension_state);

-- One source department per kind of data in an authority's region (Art. 19).
CREATE TABLE catalog_source_designations (
    id                   TEXT PRIMARY KEY,
    data_name            TEXT NOT NULL,
    source_department_id TEXT NOT NULL REFERENCES departments (id),
    authority_id         TEXT NOT NULL REFERENCES departments (id),
    division_code        TEXT NOT NULL,
    note                 TEXT NOT NULL,
    created_by           TEXT NOT NULL,
    created_at           TIMESTAMP NOT NULL,
    UNIQUE (division_code, data_name)
);
CREATE INDEX catalog_source_designations_name ON catalog_source_designations (data_name);

-- SQLite only: the full-text index of published versions (name, abstract,
-- item names), trigram-tokenised so that any substring of three or more
-- characters is found (身份证 in 居民身份证号码). Contentless: the text itself
-- is in catalog_entries.search_text. rowid = catalog_entries.seq.
CREATE VIRTUAL TABLE catalog_search USING fts5(search_text, tokenize = 'trigram', content = '', contentless_delete = 1);
-- Terms of one or two characters, which no trigram can look up, go to
-- catalog_bigrams: for each word of the search text the hex of every
-- character and of every pair of adjacent characters (see bigramTokens in
-- catalog.go), so that such a term is one token. rowid = catalog_entries.seq.
CREATE VIRTUAL TABLE catalog_bigrams USING fts5(tokens, tokenize = 'unicode61', content = '', contentless_delete = 1, detail = 'none');

-- +goose Down
DROP TABLE catalog_bigrams;
DROP TABLE catalog_search;
DROP TABLE catalog_source_designations;
DROP TABLE catalog_obligations;
DROP TABLE catalog_items;
DROP TABLE catalog_versions;
DROP TABLE catalog_entries;
DROP TABLE catalog_seq;
