package tlog

import (
	"bytes"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/emmansun/gmsm/sm3"
	"github.com/transparency-dev/merkle"
	"github.com/transparency-dev/merkle/compact"
	"github.com/transparency-dev/merkle/proof"
)

func unhex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatalf("bad hex %q: %v", s, err)
	}
	return b
}

// rfcLeaves are the first seven leaf inputs of the RFC 6962 reference test
// vectors (as used by Certificate Transparency and transparency-dev/merkle).
var rfcLeaves = []string{"", "00", "10", "2021", "3031", "40414243", "5051525354555657"}

func leafInputs(t *testing.T) [][]byte {
	out := make([][]byte, len(rfcLeaves))
	for i, s := range rfcLeaves {
		out[i] = unhex(t, s)
	}
	return out
}

func TestSHA256KnownValues(t *testing.T) {
	if got, want := hex.EncodeToString(SHA256.EmptyRoot()), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"; got != want {
		t.Errorf("empty root = %s, want %s", got, want)
	}
	if got, want := hex.EncodeToString(SHA256.HashLeaf(nil)), "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"; got != want {
		t.Errorf("leaf of \"\" = %s, want %s", got, want)
	}
	if SHA256.Size() != 32 {
		t.Errorf("size = %d, want 32", SHA256.Size())
	}
	// Root of the 7-leaf RFC 6962 reference tree.
	tr := buildTree(t, SHA256, leafInputs(t))
	if got, want := hex.EncodeToString(tr.roots[7]), "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c"; got != want {
		t.Errorf("7-leaf root = %s, want %s", got, want)
	}
}

func TestSM3KnownValues(t *testing.T) {
	// SM3("") as published with the standard, independent of gmsm.
	if got, want := hex.EncodeToString(SM3.EmptyRoot()), "1ab21d8355cfa17f8e61194831e81a8f22bec8c728fefb747ed035eb5082aa2b"; got != want {
		t.Errorf("empty root = %s, want %s", got, want)
	}
	want := sm3.Sum([]byte{0})
	if got := SM3.HashLeaf(nil); !bytes.Equal(got, want[:]) {
		t.Errorf("leaf of \"\" = %x, want SM3(0x00) = %x", got, want)
	}
	l, r := bytes.Repeat([]byte{0xaa}, 32), bytes.Repeat([]byte{0xbb}, 32)
	wantNode := sm3.Sum(append(append([]byte{1}, l...), r...))
	if got := SM3.HashChildren(l, r); !bytes.Equal(got, wantNode[:]) {
		t.Errorf("HashChildren = %x, want SM3(0x01||l||r) = %x", got, wantNode)
	}
	if SM3.Size() != 32 {
		t.Errorf("size = %d, want 32", SM3.Size())
	}
}

// TestSM3TreeMatchesRFC6962Definition checks the compact-range root against
// the recursive definition MTH of RFC 6962 section 2.1, written here only as
// a test oracle with raw SM3 calls, so the hasher cannot be checked against
// itself alone.
func TestSM3TreeMatchesRFC6962Definition(t *testing.T) {
	leaves := leafInputs(t)
	tr := buildTree(t, SM3, leaves)
	for n := 1; n <= len(leaves); n++ {
		if want := mthSM3(leaves[:n]); !bytes.Equal(tr.roots[n], want) {
			t.Errorf("root of %d leaves = %x, want %x", n, tr.roots[n], want)
		}
	}
}

func mthSM3(d [][]byte) []byte {
	if len(d) == 1 {
		s := sm3.Sum(append([]byte{0}, d[0]...))
		return s[:]
	}
	k := 1
	for k*2 < len(d) {
		k *= 2
	}
	s := sm3.Sum(append(append([]byte{1}, mthSM3(d[:k])...), mthSM3(d[k:])...))
	return s[:]
}

func TestHasherFor(t *testing.T) {
	for alg, want := range map[Algorithm]merkle.LogHasher{AlgorithmSM3: SM3, AlgorithmSHA256: SHA256} {
		h, err := HasherFor(alg)
		if err != nil {
			t.Fatalf("HasherFor(%q): %v", alg, err)
		}
		if !bytes.Equal(h.EmptyRoot(), want.EmptyRoot()) {
			t.Errorf("HasherFor(%q) gave the wrong hasher", alg)
		}
	}
	if DefaultAlgorithm != AlgorithmSM3 {
		t.Errorf("DefaultAlgorithm = %q, want sm3", DefaultAlgorithm)
	}
	for _, bad := range []Algorithm{"", "SM3", "md5"} {
		_, err := HasherFor(bad)
		if err == nil {
			t.Errorf("HasherFor(%q) = nil error", bad)
			continue
		}
		if !strings.Contains(err.Error(), `"`+string(bad)+`"`) {
			t.Errorf("HasherFor(%q) error %q does not name the value", bad, err)
		}
	}
}

// tree is a small in-memory log built with compact ranges, keeping every
// perfect subtree node so that proofs can be assembled as a log server would.
type tree struct {
	h      merkle.LogHasher
	nodes  map[compact.NodeID][]byte
	roots  [][]byte // roots[n] is the root of the first n leaves
	leaves [][]byte // leaf hashes
}

func buildTree(t *testing.T, h merkle.LogHasher, data [][]byte) *tree {
	t.Helper()
	tr := &tree{h: h, nodes: map[compact.NodeID][]byte{}, roots: [][]byte{h.EmptyRoot()}}
	rf := &compact.RangeFactory{Hash: h.HashChildren}
	r := rf.NewEmptyRange(0)
	visit := func(id compact.NodeID, hash []byte) { tr.nodes[id] = hash }
	for _, d := range data {
		lh := h.HashLeaf(d)
		tr.leaves = append(tr.leaves, lh)
		if err := r.Append(lh, visit); err != nil {
			t.Fatal(err)
		}
		// The visitor of GetRootHash reports ephemeral nodes, which change
		// as the tree grows; proofs need only the perfect ones recorded
		// by Append, so it gets none here.
		root, err := r.GetRootHash(nil)
		if err != nil {
			t.Fatal(err)
		}
		tr.roots = append(tr.roots, root)
	}
	return tr
}

func (tr *tree) hashes(t *testing.T, n proof.Nodes) [][]byte {
	t.Helper()
	hs := make([][]byte, len(n.IDs))
	for i, id := range n.IDs {
		h, ok := tr.nodes[id]
		if !ok {
			t.Fatalf("node %+v not stored", id)
		}
		hs[i] = h
	}
	p, err := n.Rehash(hs, tr.h.HashChildren)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func (tr *tree) inclusion(t *testing.T, index, size uint64) [][]byte {
	t.Helper()
	n, err := proof.Inclusion(index, size)
	if err != nil {
		t.Fatal(err)
	}
	return tr.hashes(t, n)
}

func (tr *tree) consistency(t *testing.T, size1, size2 uint64) [][]byte {
	t.Helper()
	n, err := proof.Consistency(size1, size2)
	if err != nil {
		t.Fatal(err)
	}
	return tr.hashes(t, n)
}

func TestProofsVerify(t *testing.T) {
	for _, alg := range []Algorithm{AlgorithmSM3, AlgorithmSHA256} {
		t.Run(string(alg), func(t *testing.T) {
			h, _ := HasherFor(alg)
			tr := buildTree(t, h, leafInputs(t))
			for size := uint64(1); size <= 7; size++ {
				for i := uint64(0); i < size; i++ {
					p := tr.inclusion(t, i, size)
					if err := proof.VerifyInclusion(h, i, size, tr.leaves[i], p, tr.roots[size]); err != nil {
						t.Errorf("inclusion of %d in %d: %v", i, size, err)
					}
				}
				for size1 := uint64(1); size1 <= size; size1++ {
					p := tr.consistency(t, size1, size)
					if err := proof.VerifyConsistency(h, size1, size, p, tr.roots[size1], tr.roots[size]); err != nil {
						t.Errorf("consistency %d -> %d: %v", size1, size, err)
					}
				}
			}
		})
	}
}

func TestProofsFailWhenALeafChanges(t *testing.T) {
	for _, alg := range []Algorithm{AlgorithmSM3, AlgorithmSHA256} {
		t.Run(string(alg), func(t *testing.T) {
			h, _ := HasherFor(alg)
			good := buildTree(t, h, leafInputs(t))
			data := leafInputs(t)
			data[3] = []byte{0x20, 0x22} // one byte differs from the original 0x2021
			bad := buildTree(t, h, data)

			if bytes.Equal(good.roots[7], bad.roots[7]) {
				t.Fatal("changing a leaf did not change the root")
			}
			// The altered leaf is not in the signed tree...
			p := good.inclusion(t, 3, 7)
			if err := proof.VerifyInclusion(h, 3, 7, bad.leaves[3], p, good.roots[7]); err == nil {
				t.Error("altered leaf verified against the original root")
			}
			// ...and the original leaf is not in the altered tree.
			p = bad.inclusion(t, 3, 7)
			if err := proof.VerifyInclusion(h, 3, 7, good.leaves[3], p, bad.roots[7]); err == nil {
				t.Error("original leaf verified against the altered root")
			}
			// Neither is an untouched leaf's inclusion proof from the altered
			// tree accepted under the original root: its path passes the change.
			p = bad.inclusion(t, 0, 7)
			if err := proof.VerifyInclusion(h, 0, 7, good.leaves[0], p, good.roots[7]); err == nil {
				t.Error("proof from the altered tree verified against the original root")
			}
			// An old checkpoint that covered the leaf is inconsistent with
			// the altered tree...
			p = bad.consistency(t, 5, 7)
			if err := proof.VerifyConsistency(h, 5, 7, p, good.roots[5], bad.roots[7]); err == nil {
				t.Error("altered tree consistent with a checkpoint covering the change")
			}
			// ...while one taken before the leaf existed stays consistent,
			// which is why an auditor must hold a checkpoint signed after
			// the entry was written.
			p = bad.consistency(t, 3, 7)
			if err := proof.VerifyConsistency(h, 3, 7, p, good.roots[3], bad.roots[7]); err != nil {
				t.Errorf("consistency with a checkpoint before the change: %v", err)
			}
		})
	}
}
