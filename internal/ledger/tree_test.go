package ledger_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/transparency-dev/merkle"
	"github.com/transparency-dev/merkle/proof"
	"golang.org/x/mod/sumdb/note"

	"github.com/govshare/govshare/internal/ledger"
	"github.com/govshare/govshare/internal/ledger/tlog"
	"github.com/govshare/govshare/internal/store"
	"github.com/govshare/govshare/internal/storetest"
)

var t0 = time.Date(2026, 6, 15, 9, 0, 0, 0, time.UTC)

// treeEnv is a store with a tree service signing with a fresh key.
type treeEnv struct {
	s        *store.Store
	tree     *ledger.Tree
	verifier note.Verifier
	now      time.Time
}

func newTreeEnv(t *testing.T, s *store.Store, alg tlog.Algorithm, keyAlg tlog.KeyAlgorithm) *treeEnv {
	t.Helper()
	key, err := tlog.GenerateKey(keyAlg)
	if err != nil {
		t.Fatal(err)
	}
	const name = "govshare-test"
	signer, err := tlog.NewSigner(name, key)
	if err != nil {
		t.Fatal(err)
	}
	v, err := tlog.NewVerifier(name, key.Public())
	if err != nil {
		t.Fatal(err)
	}
	env := &treeEnv{s: s, verifier: v, now: t0}
	env.tree = ledger.NewTree(store.Adapt[ledger.TreeTx](s.Write), store.Adapt[ledger.TreeTx](s.Read),
		func() time.Time { return env.now }, ledger.TreeConfig{Algorithm: alg, Origin: "govshare/test", Signer: signer})
	return env
}

// appendN appends n events (numbered from the current size) and returns
// their seqs.
func (e *treeEnv) appendN(t *testing.T, n int) []int64 {
	t.Helper()
	evs := make([]ledger.Event, n)
	for i := range evs {
		e.now = e.now.Add(time.Second)
		evs[i] = ledger.Event{At: e.now.Add(123456789 * time.Nanosecond).Truncate(time.Microsecond), ActorID: fmt.Sprintf("p%d", i%7),
			DepartmentID: "d1", Action: "test.act", ObjectType: "thing", ObjectID: fmt.Sprintf("o%d", i), Digest: "sm3:00"}
	}
	seqs, err := e.s.AppendEvents(context.Background(), evs)
	if err != nil {
		t.Fatal(err)
	}
	return seqs
}

func (e *treeEnv) verify(t *testing.T, anchors ...ledger.Anchor) ledger.Report {
	t.Helper()
	var r ledger.Report
	err := e.s.Read(context.Background(), func(tx *store.Tx) (err error) {
		r, err = ledger.Verify(context.Background(), tx, e.verifier, anchors)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// mth is the Merkle tree hash of RFC 6962 §2.1, written from its
// definition, to check the integrated roots independently.
func mth(h merkle.LogHasher, leaves [][]byte) []byte {
	switch len(leaves) {
	case 0:
		return h.EmptyRoot()
	case 1:
		return h.HashLeaf(leaves[0])
	}
	k := 1
	for k*2 < len(leaves) {
		k *= 2
	}
	return h.HashChildren(mth(h, leaves[:k]), mth(h, leaves[k:]))
}

func leafData(t *testing.T, s *store.Store) [][]byte {
	t.Helper()
	var out [][]byte
	err := s.Read(context.Background(), func(tx *store.Tx) error {
		return tx.ScanEvents(context.Background(), func(e ledger.Event) error {
			out = append(out, ledger.EntryOf(e).Leaf())
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestTreeIntegratesSignsAndProves(t *testing.T) {
	for _, c := range []struct {
		alg    tlog.Algorithm
		keyAlg tlog.KeyAlgorithm
		hasher merkle.LogHasher
	}{{tlog.AlgorithmSM3, tlog.KeyAlgorithmSM2, tlog.SM3}, {tlog.AlgorithmSHA256, tlog.KeyAlgorithmEd25519, tlog.SHA256}} {
		t.Run(string(c.alg), func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, s *store.Store) {
				ctx := context.Background()
				env := newTreeEnv(t, s, c.alg, c.keyAlg)
				// Set up on an empty log: size 0, the empty root, signed.
				st, err := env.tree.Integrate(ctx)
				if err != nil {
					t.Fatal(err)
				}
				if st.Size != 0 || st.Algorithm != c.alg || !equal(st.Root, c.hasher.EmptyRoot()) {
					t.Fatalf("empty state %+v", st)
				}
				env.appendN(t, 3000) // more than one integration step
				st, err = env.tree.Integrate(ctx)
				if err != nil {
					t.Fatal(err)
				}
				leaves := leafData(t, s)
				if st.Size != 3000 || len(leaves) != 3000 {
					t.Fatalf("size %d, %d leaves", st.Size, len(leaves))
				}
				if want := mth(c.hasher, leaves); !equal(st.Root, want) {
					t.Fatal("integrated root differs from RFC 6962's definition")
				}
				cp, err := tlog.Open(st.Checkpoint, env.verifier)
				if err != nil {
					t.Fatal(err)
				}
				if cp.Size != 3000 || !equal(cp.Root, st.Root) || cp.Origin != "govshare/test" || !cp.Time.Equal(env.now) {
					t.Fatalf("checkpoint %+v", cp)
				}
				// Inclusion proofs verify against the signed root, for the
				// first, the last and entries in between, at the latest
				// size and at an older one.
				for _, seq := range []int64{1, 2, 1024, 1025, 2047, 2999, 3000} {
					p, err := env.tree.Inclusion(ctx, seq, 0)
					if err != nil {
						t.Fatal(err)
					}
					if !equal(p.LeafHash, c.hasher.HashLeaf(leaves[seq-1])) {
						t.Fatalf("seq %d: leaf hash", seq)
					}
					if err := proof.VerifyInclusion(c.hasher, uint64(seq-1), p.Size, p.LeafHash, p.Hashes, cp.Root); err != nil {
						t.Fatalf("seq %d: %v", seq, err)
					}
					// A proof for a different leaf must not verify.
					if proof.VerifyInclusion(c.hasher, uint64(seq-1), p.Size, c.hasher.HashLeaf([]byte("x")), p.Hashes, cp.Root) == nil {
						t.Fatalf("seq %d: a forged leaf verified", seq)
					}
				}
				old := mth(c.hasher, leaves[:1500])
				p, err := env.tree.Inclusion(ctx, 700, 1500)
				if err != nil {
					t.Fatal(err)
				}
				if err := proof.VerifyInclusion(c.hasher, 699, 1500, p.LeafHash, p.Hashes, old); err != nil {
					t.Fatal(err)
				}
				// The log grows; consistency proofs show the old tree is a
				// prefix of the new one.
				env.appendN(t, 77)
				st2, err := env.tree.Integrate(ctx)
				if err != nil {
					t.Fatal(err)
				}
				for _, from := range []uint64{0, 1, 1500, 2048, 3000} {
					hashes, err := env.tree.Consistency(ctx, from, 0)
					if err != nil {
						t.Fatal(err)
					}
					root1 := mth(c.hasher, leaves[:from])
					if err := proof.VerifyConsistency(c.hasher, from, st2.Size, hashes, root1, st2.Root); err != nil {
						t.Fatalf("consistency %d→%d: %v", from, st2.Size, err)
					}
				}
				// Out of range asks are refused with the field named.
				if _, err := env.tree.Inclusion(ctx, 0, 0); err == nil {
					t.Fatal("seq 0 accepted")
				}
				if _, err := env.tree.Inclusion(ctx, 5, st2.Size+1); err == nil {
					t.Fatal("a size beyond the tree accepted")
				}
				if _, err := env.tree.Consistency(ctx, 10, 5); err == nil {
					t.Fatal("from > to accepted")
				}
				if r := env.verify(t); !r.OK() || r.Entries != 3077 || r.TreeSize != 3077 {
					t.Fatalf("verify of an untouched ledger: %+v", r)
				}
			})
		})
	}
}

// A ledger set up with one hash keeps it when the node is later configured
// with another.
func TestTreeKeepsItsAlgorithm(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		env := newTreeEnv(t, s, tlog.AlgorithmSHA256, tlog.KeyAlgorithmEd25519)
		env.appendN(t, 5)
		if _, err := env.tree.Integrate(ctx); err != nil {
			t.Fatal(err)
		}
		env2 := newTreeEnv(t, s, tlog.AlgorithmSM3, tlog.KeyAlgorithmSM2)
		env2.appendN(t, 5)
		st, err := env2.tree.Integrate(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if st.Algorithm != tlog.AlgorithmSHA256 || !equal(st.Root, mth(tlog.SHA256, leafData(t, s))) {
			t.Fatalf("state %+v", st)
		}
	})
}

func equal(a, b []byte) bool { return string(a) == string(b) }
