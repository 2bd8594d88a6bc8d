-- +goose Up
-- File download (文件下载, Art. 22): files a provider's sharing office
-- uploads for one of its published catalog entries, and the download links
-- a consumer's application system asks for under a grant. The bytes live in
-- the node's files directory under the file's id; a row is written only
-- after the bytes are on disk (fsync and rename), so every row has its
-- file. A deleted file keeps its row (deleted_at, deleted_by) for the
-- record and for tracing copies already given out; its bytes are removed.
-- file_links binds each link to its grant, system, department and purpose
-- until expires_at: the link id is written into every copy (the watermark),
-- so a leaked copy names the link and, through this table, who took it.

CREATE TABLE shared_files (
    id          TEXT PRIMARY KEY,
    entry_id    TEXT NOT NULL REFERENCES catalog_entries (id),
    provider_id TEXT NOT NULL REFERENCES departments (id),
    name        TEXT NOT NULL,
    media_type  TEXT NOT NULL,
    size        BIGINT NOT NULL,
    sm3         TEXT NOT NULL,
    watermark   TEXT NOT NULL,
    uploaded_by TEXT NOT NULL,
    uploaded_at TIMESTAMP NOT NULL,
    deleted_by  TEXT,
    deleted_at  TIMESTAMP
);
CREATE INDEX shared_files_entry ON shared_files (entry_id, uploaded_at);

CREATE TABLE file_links (
    id            TEXT PRIMARY KEY,
    file_id       TEXT NOT NULL REFERENCES shared_files (id),
    grant_id      TEXT NOT NULL REFERENCES grants (id),
    system_id     TEXT NOT NULL REFERENCES app_systems (id),
    department_id TEXT NOT NULL REFERENCES departments (id),
    purpose       TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    expires_at    TIMESTAMP NOT NULL
);
CREATE INDEX file_links_grant ON file_links (grant_id, created_at);

-- +goose Down
DROP TABLE file_links;
DROP TABLE shared_files;
