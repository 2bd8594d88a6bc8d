-- +goose Up
-- The first delivery of an approved application's data closes the provider's
-- 20-working-day obligation (Art. 22). The column lets the first delivery be
-- claimed by one conditional UPDATE (later deliveries touch nothing) and keeps
-- delivered applications off the provider's to-do list.
ALTER TABLE applications ADD COLUMN delivered_at TIMESTAMP;

-- +goose Down
ALTER TABLE applications DROP COLUMN delivered_at;
