-- +goose Up
-- Which departments each event concerns (the actor's and the object's),
-- for the record's listings by department and region. Two indexes on
-- events did this, but each commit then wrote a page of each index for
-- every department in it (about two thirds of the pages an SQLite commit
-- of the gateway's or the ledger's appends wrote). The rows here are
-- written after the commit, in bulk, by the indexer that runs beside the
-- ledger's integrator; listings read them for events up to
-- event_index_head.size and scan the few events after it.
CREATE TABLE event_departments (
    department_id TEXT NOT NULL,
    seq           BIGINT NOT NULL,
    PRIMARY KEY (department_id, seq)
);
INSERT INTO event_departments (department_id, seq)
SELECT department_id, seq FROM events WHERE department_id IS NOT NULL
UNION
SELECT object_department_id, seq FROM events WHERE object_department_id IS NOT NULL;

CREATE TABLE event_index_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    size BIGINT NOT NULL
);
INSERT INTO event_index_head (id, size) SELECT 1, size FROM event_head;

DROP INDEX events_department;
DROP INDEX events_object_department;

-- +goose Down
CREATE INDEX events_department ON events (department_id, seq);
CREATE INDEX events_object_department ON events (object_department_id, seq);
DROP TABLE event_index_head;
DROP TABLE event_departments;
