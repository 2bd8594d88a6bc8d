package delivery

import (
	"context"
	"errors"
	"sync"

	"github.com/govshare/govshare/internal/catalog"
	"github.com/govshare/govshare/internal/dataset"
)

// schemas keeps the schema of each entry's published version, so that a
// call reads only the entry's head, not the version and its items again:
// reading and decoding them was a sixth of a call's time. A published
// version's items never change, but the entry can be published anew or
// changed otherwise; every such command bumps the head's version, which is
// part of what a cached schema is checked against, so a stale one is never
// used. One schema is kept per entry.
type schemas struct {
	m sync.Map // entry ID → cachedSchema
}

type cachedSchema struct {
	published   int
	headVersion int64
	schema      *dataset.Schema
}

// schemaOf returns the schema of h's published version (h.PublishedVersion
// must be set), read in tx on a miss.
func (s *Service) schemaOf(ctx context.Context, tx Tx, h *catalog.Head) (*dataset.Schema, error) {
	if v, ok := s.schemas.m.Load(h.ID); ok {
		if c := v.(cachedSchema); c.published == h.PublishedVersion && c.headVersion == h.Version {
			return c.schema, nil
		}
	}
	v, err := tx.CatalogVersion(ctx, h.ID, h.PublishedVersion)
	if err != nil {
		return nil, err
	}
	if v == nil {
		return nil, errors.New("delivery: published catalog version missing")
	}
	schema, err := dataset.NewSchema(*v)
	if err != nil {
		return nil, err
	}
	s.schemas.m.Store(h.ID, cachedSchema{published: h.PublishedVersion, headVersion: h.Version, schema: schema})
	return schema, nil
}
