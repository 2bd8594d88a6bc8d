package gateway

import (
	"hash/maphash"
	"sync"
	"time"
)

// recentNonces is this node's memory of the nonces it accepted lately, so
// that a replay to the same node is refused before anything is read, even
// when the nonce is recorded only with the call's event (Check). It is an
// early refusal, not the guarantee: the database's unique nonce is. It
// forgets (a restart, another node, more than maxRecent nonces within the
// window), the write that records the call then finds the nonce taken and
// the answer is withheld.
//
// Two generations of hashed (key, nonce) pairs: the current one takes new
// nonces; it becomes the previous one once it is older than twice Window or
// holds maxRecent/2, and the previous one is dropped. A nonce is so kept at
// least twice Window unless more than maxRecent/2 arrive meanwhile. The
// hash is seeded per process, so no one can aim a collision at another
// caller's nonce; an accidental one, of two 64-bit hashes, is not a concern.
type recentNonces struct {
	mu         sync.Mutex
	seed       maphash.Seed
	cur, prev  map[uint64]struct{}
	curStarted time.Time
}

// maxRecent bounds the memory (about 40 MB at most).
const maxRecent = 1 << 20

func newRecentNonces() *recentNonces {
	return &recentNonces{seed: maphash.MakeSeed()}
}

// use reports whether keyID's nonce is new on this node, and remembers it.
func (r *recentNonces) use(keyID, nonce string, now time.Time) bool {
	var h maphash.Hash
	h.SetSeed(r.seed)
	h.WriteString(keyID)
	h.WriteByte(0)
	h.WriteString(nonce)
	k := h.Sum64()
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.cur == nil || now.Sub(r.curStarted) > 2*Window || len(r.cur) >= maxRecent/2 {
		r.prev, r.cur, r.curStarted = r.cur, make(map[uint64]struct{}), now
	}
	if _, ok := r.cur[k]; ok {
		return false
	}
	if _, ok := r.prev[k]; ok {
		return false
	}
	r.cur[k] = struct{}{}
	return true
}
