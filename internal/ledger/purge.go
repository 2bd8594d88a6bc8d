package ledger

import (
	"context"
	"fmt"
	"time"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/problem"
)

// Retention is how long ledger entries are kept at least (Art. 29: records
// are kept no less than three years). No interface deletes an entry; Purge
// removes only entries older than this.
const Retention = 3 * 365 * 24 * time.Hour

// PurgeTx is what purging needs.
type PurgeTx interface {
	TreeTx
	// LastEventBefore returns the highest seq n such that every event up
	// to n happened before cutoff (0 if none).
	LastEventBefore(ctx context.Context, cutoff time.Time) (int64, error)
	// DeleteEventsThrough removes events after and through seq.
	DeleteEventsThrough(ctx context.Context, after, through int64) (int64, error)
	AppendEvent(ctx context.Context, e Event) (int64, error)
}

// PurgeResult says what a purge removed.
type PurgeResult struct {
	Removed int64     `json:"removed"`
	Through int64     `json:"through"` // entries 1..Through are now purged
	Cutoff  time.Time `json:"cutoff"`
}

// Purge removes the entries past retention at now, but only those already
// sealed: their leaf hashes stay in the tree, so checkpoints and proofs of
// later entries still verify, and `ledger verify` uses the hashes in their
// place. The purge is itself an entry. Only an operator (the command line)
// or a platform admin may purge.
func Purge(ctx context.Context, write func(context.Context, func(PurgeTx) error) error, a access.Actor, now time.Time) (PurgeResult, error) {
	if !a.Local && !a.Has(access.PlatformAdmin) {
		return PurgeResult{}, problem.ErrForbidden
	}
	res := PurgeResult{Cutoff: now.Add(-Retention).UTC()}
	err := write(ctx, func(tx PurgeTx) error {
		st, err := tx.LedgerState(ctx)
		if err != nil || st == nil {
			return err // nothing sealed, nothing purged
		}
		last, err := tx.LastEventBefore(ctx, res.Cutoff)
		if err != nil {
			return err
		}
		through := min(last, int64(st.Size))
		if through <= int64(st.Purged) {
			res.Through = int64(st.Purged)
			return nil
		}
		n, err := tx.DeleteEventsThrough(ctx, int64(st.Purged), through)
		if err != nil {
			return err
		}
		next := *st
		next.Purged = uint64(through)
		if err := tx.SaveLedgerState(ctx, next, st); err != nil {
			return err
		}
		res.Removed, res.Through = n, through
		return Record(ctx, tx, now, a, "ledger.purge", Object{Type: "ledger", ID: fmt.Sprintf("1-%d", through)}, res)
	})
	return res, err
}
