package store

// The gateway path (a signed call's credential, system, grant, catalog head
// and upstream endpoint) is configuration read on every call and changed
// rarely, so the services keep it in memory (gateway.Cache). A cached value
// is good while the store's configuration generation is unchanged: every
// transaction that wrote such configuration marks itself touched (Tx.touch,
// called by the store methods that write it), and the generation is bumped
// once that transaction has COMMITTED. Bumping before the commit would let
// a reader cache the old state under the new generation; bumping after it
// lets a reader that read the generation before the bump cache the new
// state under the old generation at worst, which the bump then discards.
//
// The generation is this process's: a change made through another Store
// (another node on the same PostgreSQL) is not seen here, and is bounded
// instead by the caches' time to live (gateway.CacheTTL).

// Generation is the store's configuration generation: it changes after
// every committed transaction that wrote credentials, application systems
// (with their grant bindings), grants, catalog heads and versions, or
// upstream endpoints. A reader takes it before it reads, and keeps what it
// read while the generation is unchanged.
func (s *Store) Generation() uint64 { return s.gen.Load() }

// touch marks the transaction as one that changes configuration the gateway
// path caches; the store bumps the generation after it commits.
func (t *Tx) touch() { t.touched = true }
