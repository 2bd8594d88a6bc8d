-- +goose Up
-- A push subscription's schedule, set by the provider's sharing office
-- (issue #4: "the provider can also schedule a push"): 0 pushes as soon as
-- there is something to send; otherwise, once a turn has sent everything,
-- the next waits this many seconds.
ALTER TABLE exchange_subscriptions ADD COLUMN interval_seconds INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE exchange_subscriptions DROP COLUMN interval_seconds;
