package delivery

import (
	"context"
	"errors"
	"time"

	"github.com/govshare/govshare/internal/catalog"
	"github.com/govshare/govshare/internal/dataset"
	"github.com/govshare/govshare/internal/gateway"
	"github.com/govshare/govshare/internal/grant"
	"github.com/govshare/govshare/internal/upstream"
)

// A call reads its grant, the grant's catalog entry (head and published
// schema) and the entry's upstream endpoint, all configuration that changes
// rarely: they are kept in memory under gateway.Cache's rules (the store's
// generation unchanged, at most gateway.CacheTTL old), so that a warm call
// of a hosted entry reads only its row, and one of a proxied entry reads
// nothing. The grant's state, expiry, items and purpose, the caller's
// department and binding, and the limits are checked on every call, from
// the cached grant.

// Bounds of the caches: a grant or an entry is a few KB at most.
const (
	maxCachedGrants  = 4096
	maxCachedEntries = 1024
)

// configCache is the delivery service's cached configuration; its zero
// value (no generation) caches nothing.
type configCache struct {
	gen     gateway.Generation
	grants  *gateway.Cache[*grant.Grant]
	entries *gateway.Cache[*entryState]
}

// entryState is what a call needs of a catalog entry.
type entryState struct {
	head *catalog.Head // nil: no such entry
	// schema is the published version's; nil when none is published.
	schema *dataset.Schema
	// upstream is the entry's active endpoint with its sealed secret; nil
	// when the hosted dataset serves the entry.
	upstream *upstream.Endpoint
	sealed   gateway.SealedSecret
}

// published reports whether the entry has a published version to serve.
func (e *entryState) published() bool {
	return e.head != nil && e.head.PublishedVersion != 0 && e.schema != nil
}

// UseGeneration lets the service keep grants, catalog entries and upstream
// endpoints in memory while gen (the store's configuration generation) is
// unchanged, at most gateway.CacheTTL. Call it once, before serving.
func (s *Service) UseGeneration(gen gateway.Generation) {
	s.cache = configCache{gen: gen, grants: gateway.NewCache[*grant.Grant](maxCachedGrants),
		entries: gateway.NewCache[*entryState](maxCachedEntries)}
}

// generation is the store's generation now, taken before anything is read
// (0 when nothing is cached).
func (s *Service) generation() uint64 {
	if s.cache.gen == nil {
		return 0
	}
	return s.cache.gen()
}

// errNeedTx is what a lookup without a transaction (tx nil) returns when
// the cache does not hold what it needs: the lookup is then run again in a
// read transaction.
var errNeedTx = errors.New("delivery: a read transaction is needed")

// grantOf returns the grant id, or nil when there is none, from the cache
// or read in tx. A missing grant is not kept, so that made-up IDs cannot
// push out the real ones.
func (s *Service) grantOf(ctx context.Context, tx Tx, id string, gen uint64, now time.Time) (*grant.Grant, error) {
	if s.cache.gen != nil {
		if g, ok := s.cache.grants.Get(id, gen, now); ok {
			return g, nil
		}
	}
	if tx == nil {
		return nil, errNeedTx
	}
	g, err := tx.Grant(ctx, id)
	if err != nil || g == nil {
		return nil, err
	}
	if s.cache.gen != nil {
		s.cache.grants.Put(id, g, gen, now)
	}
	return g, nil
}

// entryOf returns what a call needs of entry id, from the cache or read in
// tx: its head and, when it is published, the published schema and the
// active upstream endpoint.
func (s *Service) entryOf(ctx context.Context, tx Tx, id string, gen uint64, now time.Time) (*entryState, error) {
	if s.cache.gen != nil {
		if e, ok := s.cache.entries.Get(id, gen, now); ok {
			return e, nil
		}
	}
	if tx == nil {
		return nil, errNeedTx
	}
	h, err := tx.CatalogHead(ctx, id)
	if err != nil {
		return nil, err
	}
	e := &entryState{head: h}
	if h != nil && h.PublishedVersion != 0 {
		if e.schema, err = s.schemaOf(ctx, tx, h); err != nil { // schema.go
			return nil, err
		}
		up, sealed, err := tx.ActiveUpstream(ctx, id)
		if err != nil {
			return nil, err
		}
		if up != nil {
			e.upstream, e.sealed = up, *sealed
		}
	}
	if s.cache.gen != nil {
		s.cache.entries.Put(id, e, gen, now)
	}
	return e, nil
}
