-- +goose Up
-- ends_at is when a grant's delivery ends or ended: its termination, or the
-- disposal of an active grant (the body's ended_at), otherwise its expiry.
-- The listing of grants missing usage records (Art. 29) asks for grants that
-- ran during the last interval; updated_at cannot say it, since acts after
-- the end (the disposal requirement, the disposal) bump it. Backfilled from
-- the body: ended_at, else the termination (or active disposal) in the
-- history for grants ended before ended_at was recorded, else expires_at.
ALTER TABLE grants ADD COLUMN ends_at TIMESTAMPTZ;
UPDATE grants SET ends_at = COALESCE(
    (body::jsonb ->> 'ended_at')::timestamptz,
    (SELECT MAX((h ->> 'at')::timestamptz)
       FROM jsonb_array_elements(body::jsonb -> 'history') h
      WHERE h ->> 'action' = 'grant.terminate'
         OR (h ->> 'action' = 'grant.dispose' AND h ->> 'from' = 'active')),
    expires_at);
ALTER TABLE grants ALTER COLUMN ends_at SET NOT NULL;
CREATE INDEX grants_ends_at ON grants (ends_at);

-- +goose Down
DROP INDEX grants_ends_at;
ALTER TABLE grants DROP COLUMN ends_at;
