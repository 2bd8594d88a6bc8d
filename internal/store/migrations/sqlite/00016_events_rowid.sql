-- +goose Up
-- On SQLite only INTEGER PRIMARY KEY makes the key the table's own row
-- number; BIGINT PRIMARY KEY kept a second B-tree beside the table, which
-- every append wrote and every scan in seq order (integration,
-- verification) looked rows up through. The table is rebuilt with seq as
-- its row number; the department indexes then carry seq implicitly.
CREATE TABLE events_by_seq (
    seq           INTEGER PRIMARY KEY,
    at            TIMESTAMP NOT NULL,
    actor_id      TEXT NOT NULL,
    department_id TEXT,
    action        TEXT NOT NULL,
    object_type   TEXT NOT NULL,
    object_id     TEXT NOT NULL,
    object_department_id TEXT,
    digest        TEXT NOT NULL
);
INSERT INTO events_by_seq (seq, at, actor_id, department_id, action, object_type, object_id, object_department_id, digest)
SELECT seq, at, actor_id, department_id, action, object_type, object_id, object_department_id, digest FROM events;
DROP TABLE events;
ALTER TABLE events_by_seq RENAME TO events;
CREATE INDEX events_object ON events (object_type, object_id);
CREATE INDEX events_department ON events (department_id);
CREATE INDEX events_object_department ON events (object_department_id);

-- +goose Down
CREATE TABLE events_bigint (
    seq           BIGINT PRIMARY KEY,
    at            TIMESTAMP NOT NULL,
    actor_id      TEXT NOT NULL,
    department_id TEXT,
    action        TEXT NOT NULL,
    object_type   TEXT NOT NULL,
    object_id     TEXT NOT NULL,
    object_department_id TEXT,
    digest        TEXT NOT NULL
);
INSERT INTO events_bigint SELECT * FROM events;
DROP TABLE events;
ALTER TABLE events_bigint RENAME TO events;
CREATE INDEX events_object ON events (object_type, object_id);
CREATE INDEX events_department ON events (department_id, seq);
CREATE INDEX events_object_department ON events (object_department_id, seq);
