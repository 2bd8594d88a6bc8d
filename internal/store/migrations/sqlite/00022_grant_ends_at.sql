-- +goose Up
-- ends_at is when a grant's delivery ends or ended: its termination, or the
-- disposal of an active grant (the body's ended_at), otherwise its expiry.
-- The listing of grants missing usage records (Art. 29) asks for grants that
-- ran during the last interval; updated_at cannot say it, since acts after
-- the end (the disposal requirement, the disposal) bump it. Backfilled from
-- the body: ended_at, else the termination (or active disposal) in the
-- history for grants ended before ended_at was recorded, else expires_at.
-- Times are written as the driver writes them (_time_format=sqlite, UTC).
ALTER TABLE grants ADD COLUMN ends_at TIMESTAMP;
UPDATE grants SET ends_at = COALESCE(
    replace(replace(json_extract(body, '$.ended_at'), 'T', ' '), 'Z', '+00:00'),
    (SELECT replace(replace(MAX(json_extract(h.value, '$.at')), 'T', ' '), 'Z', '+00:00')
       FROM json_each(grants.body, '$.history') h
      WHERE json_extract(h.value, '$.action') = 'grant.terminate'
         OR (json_extract(h.value, '$.action') = 'grant.dispose' AND json_extract(h.value, '$.from') = 'active')),
    expires_at);
CREATE INDEX grants_ends_at ON grants (ends_at);

-- +goose Down
DROP INDEX grants_ends_at;
ALTER TABLE grants DROP COLUMN ends_at;
