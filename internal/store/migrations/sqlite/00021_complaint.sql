-- +goose Up
-- Complaints (投诉举报, Art. 37) from citizens, legal persons and other
-- organisations, filed without an account. The columns are what listings
-- and the receipt-code lookup select on; body holds the whole complaint as
-- JSON (the complainant, what happened, the answer, the transfers), so that
-- each act is one row update under the optimistic version check.
-- code_digest is the SM3 digest of the receipt code: the code itself is
-- shown once to the complainant and never stored. handler_id is the
-- department handling the complaint now (it changes on a transfer),
-- handler_division its division, for the authorities' regional listings;
-- due is the last day to answer (YYYY-MM-DD, Beijing), for overdue ones,
-- or '' while it runs into a year whose holiday notice is not imported.

CREATE TABLE complaints (
    id               TEXT PRIMARY KEY,
    code_digest      TEXT NOT NULL UNIQUE,
    handler_id       TEXT NOT NULL REFERENCES departments (id),
    handler_division TEXT NOT NULL REFERENCES divisions (code),
    state            TEXT NOT NULL,
    due              TEXT NOT NULL,
    version          BIGINT NOT NULL,
    filed_at         TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL,
    body             TEXT NOT NULL
);
CREATE INDEX complaints_handler ON complaints (handler_id, id);
CREATE INDEX complaints_division ON complaints (handler_division, id);
CREATE INDEX complaints_open_due ON complaints (state, due);

-- +goose Down
DROP TABLE complaints;
