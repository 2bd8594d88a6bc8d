package ledger_test

import (
	"context"
	"database/sql"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/govshare/govshare/internal/ledger"
	"github.com/govshare/govshare/internal/ledger/tlog"
	"github.com/govshare/govshare/internal/store"
	"github.com/govshare/govshare/internal/storetest"
)

// sealed40 is a ledger of 40 events, all sealed by a signed checkpoint.
func sealed40(t *testing.T, s *store.Store) *treeEnv {
	t.Helper()
	env := newTreeEnv(t, s, tlog.AlgorithmSM3, tlog.KeyAlgorithmSM2)
	env.appendN(t, 40)
	if _, err := env.tree.Integrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	if r := env.verify(t); !r.OK() {
		t.Fatalf("untouched ledger: %v", r.Findings)
	}
	return env
}

func execAll(t *testing.T, db *sql.DB, stmts ...string) {
	t.Helper()
	for _, q := range stmts {
		if _, err := db.ExecContext(context.Background(), q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// first returns the first finding, failing if there is none.
func first(t *testing.T, r ledger.Report) ledger.Finding {
	t.Helper()
	if r.OK() {
		t.Fatal("verification passed over a tampered ledger")
	}
	return r.Findings[0]
}

// Each way of changing the record directly in the database, past the
// platform, is caught, and the first entry concerned is named.
func TestVerifyCatchesTampering(t *testing.T) {
	cases := []struct {
		name  string
		stmts []string
		seq   int64
		kind  string
	}{
		{"edit", []string{"UPDATE events SET action = 'grant.create' WHERE seq = 17"}, 17, "altered"},
		{"edit time", []string{"UPDATE events SET object_id = 'o99' WHERE seq = 40"}, 40, "altered"},
		{"delete", []string{"DELETE FROM events WHERE seq = 17"}, 17, "removed"},
		{"delete the last", []string{"DELETE FROM events WHERE seq = 40"}, 40, "removed"},
		{"delete and renumber", []string{
			"DELETE FROM events WHERE seq = 17",
			"UPDATE events SET seq = -seq WHERE seq > 17",
			"UPDATE events SET seq = -seq - 1 WHERE seq < 0",
			"UPDATE event_head SET size = size - 1",
		}, 17, "removed"},
		{"insert", []string{
			"UPDATE events SET seq = -seq WHERE seq >= 17",
			"UPDATE events SET seq = -seq + 1 WHERE seq < 0",
			"INSERT INTO events (seq, at, actor_id, department_id, action, object_type, object_id, object_department_id, digest) " +
				"SELECT 17, at, actor_id, department_id, 'grant.terminate', object_type, 'forged', object_department_id, digest FROM events WHERE seq = 16",
			"UPDATE event_head SET size = size + 1",
		}, 17, "inserted"},
		{"swap", []string{
			"UPDATE events SET seq = -1 WHERE seq = 17",
			"UPDATE events SET seq = 17 WHERE seq = 23",
			"UPDATE events SET seq = 23 WHERE seq = -1",
		}, 17, "reordered"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			storetest.EachDirect(t, func(t *testing.T, s *store.Store, d storetest.Direct) {
				env := sealed40(t, s)
				execAll(t, d.DB, c.stmts...)
				f := first(t, env.verify(t))
				if f.Seq != c.seq || f.Kind != c.kind {
					t.Fatalf("first finding %v, want entry %d %s", f, c.seq, c.kind)
				}
			})
		})
	}
}

// An intruder who also rewrites the stored hashes of the tree still cannot
// forge the node's signature: the recomputed root no longer matches the
// signed checkpoint.
func TestVerifyCatchesRewrittenHashes(t *testing.T) {
	storetest.EachDirect(t, func(t *testing.T, s *store.Store, d storetest.Direct) {
		env := sealed40(t, s)
		execAll(t, d.DB, "UPDATE events SET action = 'grant.create' WHERE seq = 5")
		// Recompute the edited leaf as the intruder would, and store it.
		var e ledger.Event
		err := s.Read(context.Background(), func(tx *store.Tx) error {
			evs, err := tx.EventsAfter(context.Background(), 4, 1)
			e = evs[0]
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		leaf := tlog.SM3.HashLeaf(ledger.EntryOf(e).Leaf())
		if _, err := d.DB.Exec("UPDATE ledger_nodes SET hash = $1 WHERE level = 0 AND idx = 4", leaf); err != nil {
			t.Fatal(err)
		}
		f := first(t, env.verify(t))
		if f.Kind != "checkpoint" || !strings.Contains(f.Detail, "size 40") {
			t.Fatalf("first finding %v, want the checkpoint of size 40 not to match", f)
		}
	})
}

// An auditor's saved checkpoint shows the log only grew: putting an older,
// genuinely signed state back (dropping the entries after it) is caught.
func TestVerifyAgainstAuditorCheckpoint(t *testing.T) {
	storetest.EachDirect(t, func(t *testing.T, s *store.Store, d storetest.Direct) {
		ctx := context.Background()
		env := sealed40(t, s)
		var old []byte
		var oldRoot []byte
		st, err := env.tree.Latest(ctx)
		if err != nil {
			t.Fatal(err)
		}
		old, oldRoot = st.Checkpoint, st.Root
		env.now = env.now.Add(2 * 60e9) // past anchorEvery: the next checkpoint is kept too
		env.appendN(t, 10)
		st, err = env.tree.Integrate(ctx)
		if err != nil {
			t.Fatal(err)
		}
		saved := st.Checkpoint // what the auditor downloaded at size 50
		anchor := ledger.Anchor{Note: saved, Verifier: env.verifier, Source: "auditor.txt"}
		if r := env.verify(t, anchor); !r.OK() || len(r.Checkpoints) < 2 {
			t.Fatalf("before: %+v", r)
		}
		// Roll the whole ledger back to size 40 with its genuine signature.
		execAll(t, d.DB,
			"DELETE FROM events WHERE seq > 40",
			"UPDATE event_head SET size = 40",
			"DELETE FROM ledger_nodes WHERE (level = 0 AND idx >= 40) OR (level = 1 AND idx >= 20) OR (level = 2 AND idx >= 10) OR (level = 3 AND idx >= 5) OR (level = 4 AND idx >= 2) OR (level = 5 AND idx >= 1)",
			"DELETE FROM ledger_checkpoints WHERE size > 40",
		)
		if _, err := d.DB.Exec("UPDATE ledger_state SET size = 40, root = $1, checkpoint = $2", oldRoot, string(old)); err != nil {
			t.Fatal(err)
		}
		if r := env.verify(t); !r.OK() {
			t.Fatalf("without the auditor's checkpoint the rollback is consistent, yet: %v", r.Findings)
		}
		f := first(t, env.verify(t, anchor))
		if f.Kind != "truncated" || f.Seq != 41 {
			t.Fatalf("first finding %v, want truncated at 41", f)
		}
		// A checkpoint signed by another key is not an anchor.
		other := newTreeEnv(t, s, tlog.AlgorithmSM3, tlog.KeyAlgorithmSM2)
		bad := ledger.Anchor{Note: saved, Verifier: other.verifier, Source: "forged.txt"}
		if f := first(t, env.verify(t, bad)); f.Kind != "checkpoint" {
			t.Fatalf("a checkpoint under another key: %v", f)
		}
	})
}

// A copy of the SQLite file, tampered with, is caught when verified on its
// own; the original still verifies.
func TestVerifyCopyOfFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "govshare.db")
	ctx := context.Background()
	s, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	env := sealed40(t, s)
	if err := s.Close(); err != nil { // checkpoints the WAL into the file
		t.Fatal(err)
	}
	cp := filepath.Join(t.TempDir(), "copy.db")
	copyFile(t, path, cp)
	raw, err := sql.Open("sqlite", "file:"+cp)
	if err != nil {
		t.Fatal(err)
	}
	execAll(t, raw, "UPDATE events SET actor_id = 'someone-else' WHERE seq = 33")
	raw.Close()
	for _, c := range []struct {
		path string
		ok   bool
	}{{path, true}, {cp, false}} {
		s2, err := store.Open(ctx, c.path)
		if err != nil {
			t.Fatal(err)
		}
		env.s = s2
		r := env.verify(t)
		s2.Close()
		if r.OK() != c.ok {
			t.Fatalf("%s: %+v", c.path, r)
		}
		if !c.ok && (r.Findings[0].Seq != 33 || r.Findings[0].Kind != "altered") {
			t.Fatalf("copy: %v", r.Findings[0])
		}
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	in, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}
