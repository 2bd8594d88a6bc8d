-- +goose Up
-- A person of the consumer's sharing office may take a grant's files in the
-- console (docs/files.md): a download link is then bound to the person, not
-- to an application system. Exactly one of system_id and person_id is set.
-- SQLite cannot drop a NOT NULL in place, so the table is rebuilt; nothing
-- references file_links.
CREATE TABLE file_links_new (
    id            TEXT PRIMARY KEY,
    file_id       TEXT NOT NULL REFERENCES shared_files (id),
    grant_id      TEXT NOT NULL REFERENCES grants (id),
    system_id     TEXT REFERENCES app_systems (id),
    person_id     TEXT REFERENCES people (id),
    department_id TEXT NOT NULL REFERENCES departments (id),
    purpose       TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    expires_at    TIMESTAMP NOT NULL,
    CHECK ((system_id IS NULL) <> (person_id IS NULL))
);
INSERT INTO file_links_new (id, file_id, grant_id, system_id, department_id, purpose, created_at, expires_at)
SELECT id, file_id, grant_id, system_id, department_id, purpose, created_at, expires_at FROM file_links;
DROP TABLE file_links;
ALTER TABLE file_links_new RENAME TO file_links;
CREATE INDEX file_links_grant ON file_links (grant_id, created_at);

-- +goose Down
DELETE FROM file_links WHERE person_id IS NOT NULL;
CREATE TABLE file_links_old (
    id            TEXT PRIMARY KEY,
    file_id       TEXT NOT NULL REFERENCES shared_files (id),
    grant_id      TEXT NOT NULL REFERENCES grants (id),
    system_id     TEXT NOT NULL REFERENCES app_systems (id),
    department_id TEXT NOT NULL REFERENCES departments (id),
    purpose       TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    expires_at    TIMESTAMP NOT NULL
);
INSERT INTO file_links_old SELECT id, file_id, grant_id, system_id, department_id, purpose, created_at, expires_at FROM file_links;
DROP TABLE file_links;
ALTER TABLE file_links_old RENAME TO file_links;
CREATE INDEX file_links_grant ON file_links (grant_id, created_at);
