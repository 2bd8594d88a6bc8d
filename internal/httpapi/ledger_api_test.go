package httpapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"testing"

	"github.com/transparency-dev/merkle/proof"

	"github.com/govshare/govshare/internal/ledger"
	"github.com/govshare/govshare/internal/ledger/tlog"
	"github.com/govshare/govshare/internal/store"
	"github.com/govshare/govshare/internal/storetest"
)

// withLedgerKey gives the env's tree a fresh SM2 key and seals the demo.
func withLedgerKey(t *testing.T, e *env) {
	t.Helper()
	key, err := tlog.GenerateKey(tlog.KeyAlgorithmSM2)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := tlog.NewSigner("govshare/test", key)
	if err != nil {
		t.Fatal(err)
	}
	e.app.Tree.Configure(ledger.TreeConfig{Origin: "govshare/test", Signer: signer, PublicKey: key.Public()})
	if _, err := e.app.Tree.Integrate(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestLedgerAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		withLedgerKey(t, e)
		ctx := context.Background()

		// The public key is public; its verifier key opens the checkpoint.
		r := e.do("", "GET", "/api/v1/ledger/public-key", nil)
		if r.status != http.StatusOK {
			t.Fatalf("public key: %d %s", r.status, r.body)
		}
		var pk struct {
			Origin, HashAlgorithm, PublicKeyPEM, VerifierKey string
		}
		var raw map[string]string
		r.json(t, &raw)
		pk.Origin, pk.HashAlgorithm, pk.PublicKeyPEM, pk.VerifierKey = raw["origin"], raw["hash_algorithm"], raw["public_key_pem"], raw["verifier_key"]
		if pk.Origin != "govshare/test" || pk.HashAlgorithm != "sm3" || !strings.Contains(pk.PublicKeyPEM, "PUBLIC KEY") {
			t.Fatalf("public key doc %+v", raw)
		}
		v, err := tlog.NewVerifierFromKey(pk.VerifierKey)
		if err != nil {
			t.Fatal(err)
		}
		if r := e.do("", "GET", "/api/v1/ledger/checkpoint", nil); r.status != http.StatusUnauthorized {
			t.Fatalf("anonymous checkpoint: %d", r.status)
		}
		r = e.do("xhmz.staff", "GET", "/api/v1/ledger/checkpoint", nil)
		if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "text/plain") {
			t.Fatalf("checkpoint: %d %s", r.status, r.body)
		}
		cp, err := tlog.Open(r.body, v)
		if err != nil {
			t.Fatalf("checkpoint does not open with the served key: %v\n%s", err, r.body)
		}
		if cp.Size == 0 {
			t.Fatal("the demo's acts are not sealed")
		}

		// Every kind of act is a ledger entry.
		var entries []ledger.Entry
		for start := int64(1); start <= int64(cp.Size); start += 1000 {
			r = e.do("audit", "GET", fmt.Sprintf("/api/v1/ledger/entries?start=%d&limit=1000", start), nil)
			if r.status != http.StatusOK {
				t.Fatalf("entries: %d %s", r.status, r.body)
			}
			var page struct{ Items []ledger.Entry }
			r.json(t, &page)
			entries = append(entries, page.Items...)
		}
		if uint64(len(entries)) < cp.Size {
			t.Fatalf("%d entries for a tree of %d", len(entries), cp.Size)
		}
		kinds := map[string]bool{}
		for i, en := range entries {
			if en.Seq != int64(i)+1 {
				t.Fatalf("entry %d has seq %d", i+1, en.Seq)
			}
			kinds[strings.SplitN(en.Action, ".", 2)[0]] = true
		}
		for _, k := range []string{"catalog", "application", "grant", "auth", "department", "person"} {
			if !kinds[k] {
				got := make([]string, 0, len(kinds))
				for k := range kinds {
					got = append(got, k)
				}
				sort.Strings(got)
				t.Errorf("no %q act among the ledger entries (have %v)", k, got)
			}
		}
		for _, who := range []string{"gat.head", "hz.reviewer", "xhmz.staff"} {
			if r := e.do(who, "GET", "/api/v1/ledger/entries", nil); r.status != http.StatusForbidden {
				t.Fatalf("%s reads raw entries: %d", who, r.status)
			}
		}

		// Inclusion proofs verify against the signed root, with the leaf
		// recomputed by the auditor from the entry.
		for _, seq := range []int64{1, int64(cp.Size) / 2, int64(cp.Size)} {
			r = e.do("audit", "GET", fmt.Sprintf("/api/v1/ledger/proofs/inclusion?seq=%d&tree_size=%d", seq, cp.Size), nil)
			if r.status != http.StatusOK {
				t.Fatalf("inclusion %d: %d %s", seq, r.status, r.body)
			}
			var p struct {
				LeafIndex uint64   `json:"leaf_index"`
				TreeSize  uint64   `json:"tree_size"`
				LeafHash  []byte   `json:"leaf_hash"`
				Hashes    [][]byte `json:"hashes"`
			}
			r.json(t, &p)
			leaf := tlog.SM3.HashLeaf(ledger.EntryOf(entries[seq-1].Event).Leaf())
			if string(leaf) != string(p.LeafHash) || string(leaf) != string(entries[seq-1].LeafHash) {
				t.Fatalf("seq %d: leaf hash differs from the entry's", seq)
			}
			if err := proof.VerifyInclusion(tlog.SM3, p.LeafIndex, p.TreeSize, leaf, p.Hashes, cp.Root); err != nil {
				t.Fatalf("seq %d: %v", seq, err)
			}
		}
		// An office head proves its own department's acts, not others'.
		head := e.actor(e.p.Account("hzmz.head").ID)
		own, err := e.app.Ledger.Events(ctx, head, ledger.Filter{Limit: 1})
		if err != nil || len(own) == 0 {
			t.Fatalf("hzmz.head's events: %v %v", own, err)
		}
		if r := e.do("hzmz.head", "GET", fmt.Sprintf("/api/v1/ledger/proofs/inclusion?seq=%d", own[0].Seq), nil); r.status != http.StatusOK {
			t.Fatalf("own event: %d %s", r.status, r.body)
		}
		other := int64(0)
		for _, en := range entries {
			if en.DepartmentID != head.DepartmentID && en.ObjectDepartmentID != head.DepartmentID {
				other = en.Seq
				break
			}
		}
		if r := e.do("hzmz.head", "GET", fmt.Sprintf("/api/v1/ledger/proofs/inclusion?seq=%d", other), nil); r.status != http.StatusNotFound {
			t.Fatalf("another department's event: %d", r.status)
		}
		if r := e.do("xhmz.staff", "GET", "/api/v1/ledger/proofs/inclusion?seq=1", nil); r.status != http.StatusForbidden {
			t.Fatalf("office staff: %d", r.status)
		}

		// The log grows; the consistency proof shows the old checkpoint's
		// tree is a prefix of the new one.
		e.token("gat.staff") // an act: a token issued
		if _, err := e.app.Tree.Integrate(ctx); err != nil {
			t.Fatal(err)
		}
		r = e.do("xhmz.staff", "GET", "/api/v1/ledger/checkpoint", nil)
		cp2, err := tlog.Open(r.body, v)
		if err != nil || cp2.Size <= cp.Size {
			t.Fatalf("second checkpoint %+v %v", cp2, err)
		}
		r = e.do("xhmz.staff", "GET", fmt.Sprintf("/api/v1/ledger/proofs/consistency?from=%d&to=%d", cp.Size, cp2.Size), nil)
		var cons struct{ Hashes [][]byte }
		r.json(t, &cons)
		if err := proof.VerifyConsistency(tlog.SM3, cp.Size, cp2.Size, cons.Hashes, cp.Root, cp2.Root); err != nil {
			t.Fatalf("consistency: %v (%s)", err, r.body)
		}

		// Bad parameters name themselves.
		for path, field := range map[string]string{
			"/api/v1/ledger/proofs/inclusion":                     "seq",
			"/api/v1/ledger/proofs/inclusion?seq=x":               "seq",
			"/api/v1/ledger/proofs/inclusion?seq=1&tree_size=1e9": "tree_size",
			"/api/v1/ledger/proofs/consistency":                   "from",
			"/api/v1/ledger/proofs/consistency?from=5&to=2":       "from",
			"/api/v1/ledger/entries?limit=0":                      "limit",
		} {
			r := e.do("audit", "GET", path, nil)
			if r.status/100 != 4 {
				t.Fatalf("%s: %d", path, r.status)
			}
			if p := r.problem(t); !strings.Contains(p.Field+p.Detail, field) {
				t.Fatalf("%s: problem %+v does not name %s", path, p, field)
			}
		}

		// The whole demo ledger verifies.
		var rep ledger.Report
		err = s.Read(ctx, func(tx *store.Tx) (err error) { rep, err = ledger.Verify(ctx, tx, v, nil); return err })
		if err != nil || !rep.OK() {
			b, _ := json.Marshal(rep)
			t.Fatalf("demo ledger: %v %s", err, b)
		}
	})
}
