-- +goose Up
-- A person of the consumer's sharing office may take a grant's files in the
-- console (docs/files.md): a download link is then bound to the person, not
-- to an application system. Exactly one of system_id and person_id is set.
ALTER TABLE file_links ALTER COLUMN system_id DROP NOT NULL;
ALTER TABLE file_links ADD COLUMN person_id TEXT REFERENCES people (id);
ALTER TABLE file_links ADD CONSTRAINT file_links_one_taker CHECK ((system_id IS NULL) <> (person_id IS NULL));

-- +goose Down
DELETE FROM file_links WHERE person_id IS NOT NULL;
ALTER TABLE file_links DROP CONSTRAINT file_links_one_taker;
ALTER TABLE file_links DROP COLUMN person_id;
ALTER TABLE file_links ALTER COLUMN system_id SET NOT NULL;
