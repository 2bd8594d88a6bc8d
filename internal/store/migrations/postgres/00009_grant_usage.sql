-- +goose Up
-- The per-grant, per-day call statistics of the service interface
-- (PRACTICE.md), which are also the daily quota: day is the Beijing date
-- (YYYY-MM-DD); calls are the calls served (what the quota counts), refused
-- the calls refused, rows the rows delivered. Each call is counted in the
-- transaction that records its event, so the count and the record agree and
-- a restart resets nothing.

CREATE TABLE grant_usage (
    grant_id TEXT NOT NULL REFERENCES grants (id),
    day      TEXT NOT NULL,
    calls    BIGINT NOT NULL,
    refused  BIGINT NOT NULL,
    rows     BIGINT NOT NULL,
    PRIMARY KEY (grant_id, day)
);

-- +goose Down
DROP TABLE grant_usage;
