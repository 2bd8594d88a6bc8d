package gateway

import (
	"sync"
	"time"
)

// A signed call reads configuration that changes rarely: its credential and
// system here, its grant, catalog entry and upstream endpoint in delivery.
// Reading them on every call was most of a call's cost, so they are kept in
// a Cache, under two rules that keep them correct:
//
//   - A value is kept with the store's configuration generation, taken
//     BEFORE it was read (store.Store.Generation), and used only while the
//     generation is unchanged. The store bumps it after every committed
//     change to such configuration, so a change made through this node
//     (a credential revoked, a system disabled or rebound, a grant
//     suspended, an entry published anew) takes effect on the very next
//     call.
//   - A value is used at most CacheTTL after it was read. Nodes sharing one
//     PostgreSQL do not see each other's generations: a change made on
//     another node takes effect here within CacheTTL.
//
// Whatever depends on the time (a credential's grace period, a grant's
// expiry, rate limits) is still decided on every call, from the cached
// value.

// CacheTTL bounds how stale a cached value can be when another node
// changed it.
const CacheTTL = time.Second

// Generation returns the store's configuration generation; nil disables
// caching (every call reads).
type Generation func() uint64

// Cache holds up to a bounded number of values by key, all of one
// generation. Values are shared between calls and must not be modified.
type Cache[V any] struct {
	mu  sync.RWMutex
	gen uint64
	m   map[string]cached[V]
	max int
}

type cached[V any] struct {
	v  V
	at time.Time
}

// NewCache returns a cache of at most max values.
func NewCache[V any](max int) *Cache[V] {
	return &Cache[V]{m: make(map[string]cached[V]), max: max}
}

// Get returns the value kept for key if it was read at generation gen and
// less than CacheTTL before now (a clock gone back counts as expired).
func (c *Cache[V]) Get(key string, gen uint64, now time.Time) (V, bool) {
	c.mu.RLock()
	e, ok := c.m[key]
	ok = ok && c.gen == gen
	c.mu.RUnlock()
	if !ok || now.Before(e.at) || now.Sub(e.at) >= CacheTTL {
		var zero V
		return zero, false
	}
	return e.v, true
}

// Put keeps v for key, read at now under generation gen (taken before the
// read). A newer generation drops every value of the older one; a value of
// an older generation than the cache's is not kept.
func (c *Cache[V]) Put(key string, v V, gen uint64, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case gen < c.gen:
		return
	case gen > c.gen:
		clear(c.m)
		c.gen = gen
	}
	if _, ok := c.m[key]; !ok && len(c.m) >= c.max {
		for k := range c.m { // an arbitrary victim: map order is unspecified
			delete(c.m, k)
			break
		}
	}
	c.m[key] = cached[V]{v: v, at: now}
}

// Len is the number of values kept (for tests).
func (c *Cache[V]) Len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.m)
}
