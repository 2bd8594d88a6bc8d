package ledger

import (
	"context"
	"crypto"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/problem"
)

// Who may read the tree. Checkpoints and consistency proofs are hashes
// only: anyone signed in may have them, and the public key is public, so
// that anyone holding a checkpoint can check it. The entries themselves
// name people and departments: the platform's admins and auditors read
// them all; reviewers and office heads prove the inclusion of the events
// they may read anyway (Reader.Events).

// MayReadEntries reports whether a reads raw entries by range.
func MayReadEntries(a access.Actor) bool {
	return a.HasAny(access.PlatformAdmin, access.Auditor)
}

// Entry is a stored event with the leaf hash of its content as stored now.
type Entry struct {
	Event
	LeafHash []byte `json:"leaf_hash"`
}

// Entries returns up to limit entries from seq start on.
func (t *Tree) Entries(ctx context.Context, a access.Actor, start int64, limit int) ([]Entry, error) {
	if !MayReadEntries(a) {
		return nil, problem.ErrForbidden
	}
	var out []Entry
	err := t.read(ctx, func(tx TreeTx) error {
		st, err := tx.LedgerState(ctx)
		if err != nil {
			return err
		}
		if st == nil {
			return errNotSetUp
		}
		h, err := hasherOf(st)
		if err != nil {
			return err
		}
		evs, err := tx.EventsAfter(ctx, start-1, limit)
		if err != nil {
			return err
		}
		out = make([]Entry, len(evs))
		for i, e := range evs {
			out[i] = Entry{Event: e, LeafHash: h.HashLeaf(EntryOf(e).Leaf())}
		}
		return nil
	})
	return out, err
}

// InclusionFor is Inclusion for an actor: admins, auditors and reviewers
// for any entry; an office head for the events of its own department.
func (t *Tree) InclusionFor(ctx context.Context, a access.Actor, r *Reader, seq int64, size uint64) (InclusionProof, error) {
	switch {
	case a.HasAny(access.PlatformAdmin, access.Auditor, access.AuthorityReviewer):
	case a.Has(access.OfficeHead):
		evs, err := r.Events(ctx, a, Filter{After: seq - 1, Limit: 1})
		if err != nil {
			return InclusionProof{}, err
		}
		if len(evs) == 0 || evs[0].Seq != seq {
			return InclusionProof{}, problem.NotFoundf("ledger.entry_not_found", "账本条目不存在", "no entry %d that you may read", seq)
		}
	default:
		return InclusionProof{}, problem.ErrForbidden
	}
	return t.Inclusion(ctx, seq, size)
}

// PublicKey is the checkpoint key's public half (nil without a key).
func (t *Tree) PublicKey() crypto.PublicKey { return t.cfg.PublicKey }
