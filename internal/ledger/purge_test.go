package ledger_test

import (
	"context"
	"testing"
	"time"

	"github.com/transparency-dev/merkle/proof"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/ledger"
	"github.com/govshare/govshare/internal/ledger/tlog"
	"github.com/govshare/govshare/internal/problem"
	"github.com/govshare/govshare/internal/store"
	"github.com/govshare/govshare/internal/storetest"
)

// Entries are kept three years; a purge removes only older ones that are
// sealed, records itself, and leaves the tree verifiable.
func TestPurgeAfterRetention(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		env := sealed40(t, s) // events 1..40 at t0+1s … t0+40s
		old, err := env.tree.Latest(ctx)
		if err != nil {
			t.Fatal(err)
		}
		write := store.Adapt[ledger.PurgeTx](s.Write)
		// Not even an admin removes anything younger than three years.
		env.now = t0.Add(ledger.Retention)
		r, err := ledger.Purge(ctx, write, access.Operator("test"), env.now)
		if err != nil || r.Removed != 0 {
			t.Fatalf("purge within retention: %+v %v", r, err)
		}
		head := access.Actor{PersonID: "p", DepartmentID: "d1", Roles: []access.Role{access.OfficeHead}}
		at := t0.Add(ledger.Retention + 20*time.Second + 500*time.Millisecond)
		if _, err := ledger.Purge(ctx, write, head, at); !problem.Is(err, problem.Forbidden) {
			t.Fatalf("an office head purged: %v", err)
		}
		r, err = ledger.Purge(ctx, write, access.Operator("test"), at)
		if err != nil {
			t.Fatal(err)
		}
		if r.Removed != 20 || r.Through != 20 {
			t.Fatalf("purge: %+v, want entries 1..20", r)
		}
		if r, err := ledger.Purge(ctx, write, access.Operator("test"), at); err != nil || r.Removed != 0 {
			t.Fatalf("second purge: %+v %v", r, err)
		}
		// The purge is an entry; seal it, then everything verifies, against
		// the node's checkpoints and an auditor's saved before the purge.
		if _, err := env.tree.Integrate(ctx); err != nil {
			t.Fatal(err)
		}
		rep := env.verify(t, ledger.Anchor{Note: old.Checkpoint, Verifier: env.verifier, Source: "auditor"})
		if !rep.OK() || rep.Purged != 20 || rep.Entries != 21 {
			t.Fatalf("after purge: %+v", rep)
		}
		var purged []ledger.Event
		_ = s.Read(ctx, func(tx *store.Tx) (err error) { purged, err = tx.EventsAfter(ctx, 40, 5); return err })
		if len(purged) != 1 || purged[0].Action != "ledger.purge" {
			t.Fatalf("purge not recorded: %+v", purged)
		}
		// A later entry's proof still verifies against the old checkpoint.
		cp, _ := tlog.Open(old.Checkpoint, env.verifier)
		p, err := env.tree.Inclusion(ctx, 30, 40)
		if err != nil {
			t.Fatal(err)
		}
		if err := proof.VerifyInclusion(tlog.SM3, 29, 40, p.LeafHash, p.Hashes, cp.Root); err != nil {
			t.Fatal(err)
		}
	})
}
