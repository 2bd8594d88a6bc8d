-- +goose Up
-- Applications for published catalog entries and their replies (Art. 20–22).
-- The columns are what listings, visibility and to-do lists select on; body
-- holds the whole application as JSON (form, approvals, deadlines with their
-- rules, supplement request, extension, reply, history), so that each command
-- is one row update under the optimistic version check.
-- entry_id names catalog_entries (id) without a foreign key: the catalog's
-- migration and this one were written in parallel, and an application keeps
-- the entry version it applied for in body. Entries are never deleted.

CREATE TABLE applications (
    id                TEXT PRIMARY KEY,
    entry_id          TEXT NOT NULL,
    consumer_id       TEXT NOT NULL REFERENCES departments (id),
    consumer_division TEXT NOT NULL REFERENCES divisions (code),
    provider_id       TEXT NOT NULL REFERENCES departments (id),
    provider_division TEXT NOT NULL REFERENCES divisions (code),
    state             TEXT NOT NULL,
    -- first receipt by the provider; NULL while the consumer drafts
    sent_at           TIMESTAMP,
    -- the authority that must decide a pending extension request, if any
    extension_authority_id TEXT,
    version           BIGINT NOT NULL,
    created_at        TIMESTAMP NOT NULL,
    updated_at        TIMESTAMP NOT NULL,
    body              TEXT NOT NULL
);
CREATE INDEX applications_consumer ON applications (consumer_id, id);
CREATE INDEX applications_provider ON applications (provider_id, id);
CREATE INDEX applications_entry ON applications (entry_id);
CREATE INDEX applications_extension ON applications (extension_authority_id) WHERE extension_authority_id IS NOT NULL;

-- +goose Down
DROP TABLE applications;
