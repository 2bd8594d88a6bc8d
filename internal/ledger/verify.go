package ledger

import (
	"cmp"
	"context"
	"encoding/base64"
	"fmt"
	"slices"

	"github.com/transparency-dev/merkle"
	"github.com/transparency-dev/merkle/compact"
	"golang.org/x/mod/sumdb/note"

	"github.com/govshare/govshare/internal/ledger/tlog"
)

// VerifyTx is what verification reads, all in one snapshot.
type VerifyTx interface {
	LedgerState(ctx context.Context) (*State, error)
	// ScanLeafHashes calls fn with the stored leaf hashes (level 0) in
	// index order.
	ScanLeafHashes(ctx context.Context, fn func(index uint64, hash []byte) error) error
	// ScanEvents calls fn with every stored event in seq order.
	ScanEvents(ctx context.Context, fn func(Event) error) error
	LedgerCheckpoints(ctx context.Context) ([]StoredCheckpoint, error)
}

// Finding is one thing verification found wrong. Seq names the first entry
// concerned when it can be known (0 otherwise).
type Finding struct {
	Seq    int64  `json:"seq,omitempty"`
	Kind   string `json:"kind"` // altered, removed, inserted, reordered, truncated, checkpoint
	Detail string `json:"detail"`
}

func (f Finding) String() string {
	if f.Seq > 0 {
		return fmt.Sprintf("entry %d %s: %s", f.Seq, f.Kind, f.Detail)
	}
	return f.Kind + ": " + f.Detail
}

// Report is the outcome of a verification.
type Report struct {
	Algorithm tlog.Algorithm `json:"algorithm"`
	Entries   int64          `json:"entries"`   // events stored
	Purged    uint64         `json:"purged"`    // removed after retention, known by their leaf hashes
	TreeSize  uint64         `json:"tree_size"` // entries sealed by the latest checkpoint
	Root      string         `json:"root"`      // base64 root recomputed at TreeSize
	// Checkpoints are the sizes of the signed checkpoints whose roots were
	// recomputed and matched.
	Checkpoints []uint64  `json:"checkpoints"`
	Findings    []Finding `json:"findings"`
}

// OK reports whether nothing was found.
func (r Report) OK() bool { return len(r.Findings) == 0 }

// Anchor is a checkpoint that verification must match: one kept by the
// node or one an auditor saved earlier, with the key to check it by.
type Anchor struct {
	Note     []byte
	Verifier note.Verifier
	Source   string // "node" or the auditor's file name, for the report
}

// Verify recomputes the tree from the stored events and checks it three
// ways: every event against the leaf hash the tree sealed for its position
// (which names the first entry altered, removed, inserted or reordered);
// the sequence for gaps; and the recomputed root at the size of every
// checkpoint, the node's own (with nodeKey) and the auditor's anchors, so
// that rewriting the stored hashes too is still caught and the log is shown
// to have only grown since each anchor.
func Verify(ctx context.Context, tx VerifyTx, nodeKey note.Verifier, anchors []Anchor) (Report, error) {
	var r Report
	st, err := tx.LedgerState(ctx)
	if err != nil {
		return r, err
	}
	if st == nil {
		st = &State{Algorithm: tlog.DefaultAlgorithm}
	}
	r.Algorithm, r.Purged, r.TreeSize = st.Algorithm, st.Purged, st.Size
	hasher, err := tlog.HasherFor(st.Algorithm)
	if err != nil {
		return r, err
	}
	var sealed [][]byte
	if err := tx.ScanLeafHashes(ctx, func(i uint64, h []byte) error {
		if i != uint64(len(sealed)) {
			r.add(Finding{Seq: int64(len(sealed)) + 1, Kind: "removed", Detail: "its leaf hash is missing from the tree"})
			return errStop
		}
		sealed = append(sealed, h)
		return nil
	}); err != nil && err != errStop {
		return r, err
	}
	// Recompute the leaf of every stored event.
	var leaves [][]byte
	next := int64(st.Purged) + 1
	if err := tx.ScanEvents(ctx, func(e Event) error {
		r.Entries++
		if e.Seq != next {
			if len(r.Findings) == 0 {
				r.add(Finding{Seq: next, Kind: "removed", Detail: fmt.Sprintf("the sequence jumps from %d to %d", next-1, e.Seq)})
			}
			next = e.Seq
		}
		next++
		leaves = append(leaves, hasher.HashLeaf(EntryOf(e).Leaf()))
		return nil
	}); err != nil {
		return r, err
	}
	if len(r.Findings) == 0 {
		r.compareLeaves(st, sealed, leaves)
	}
	if uint64(len(leaves))+st.Purged < st.Size && len(r.Findings) == 0 {
		r.add(Finding{Seq: int64(uint64(len(leaves))+st.Purged) + 1, Kind: "removed",
			Detail: fmt.Sprintf("the tree sealed %d entries but only %d are stored", st.Size, uint64(len(leaves))+st.Purged)})
	}
	// Roots at every anchor.
	var all []Anchor
	if len(st.Checkpoint) > 0 {
		all = append(all, Anchor{Note: st.Checkpoint, Verifier: nodeKey, Source: "node (latest)"})
	}
	stored, err := tx.LedgerCheckpoints(ctx)
	if err != nil {
		return r, err
	}
	for _, c := range stored {
		all = append(all, Anchor{Note: c.Note, Verifier: nodeKey, Source: "node"})
	}
	all = append(all, anchors...)
	r.checkRoots(hasher, st, sealed, leaves, all)
	return r, nil
}

var errStop = fmt.Errorf("stop")

func (r *Report) add(f Finding) { r.Findings = append(r.Findings, f) }

// compareLeaves names the first position where the stored events differ
// from the sealed leaves, and how.
func (r *Report) compareLeaves(st *State, sealed, leaves [][]byte) {
	off := int(st.Purged) // leaves[0] is position off
	for i, h := range leaves {
		p := off + i
		if p >= len(sealed) {
			return // not sealed yet: integrated by the next checkpoint
		}
		if sameHash(h, sealed[p]) {
			continue
		}
		seq := int64(p) + 1
		switch {
		case p+1 < len(sealed) && sameHash(h, sealed[p+1]):
			r.add(Finding{Seq: seq, Kind: "removed", Detail: "the entry sealed here is gone and later entries moved up"})
		case i+1 < len(leaves) && sameHash(leaves[i+1], sealed[p]):
			r.add(Finding{Seq: seq, Kind: "inserted", Detail: "an entry that was never sealed stands here and later entries moved down"})
		default:
			if j := slices.IndexFunc(leaves[i+1:], func(x []byte) bool { return sameHash(x, sealed[p]) }); j >= 0 {
				r.add(Finding{Seq: seq, Kind: "reordered", Detail: fmt.Sprintf("the entry sealed here is stored at %d", seq+int64(j)+1)})
			} else {
				r.add(Finding{Seq: seq, Kind: "altered", Detail: "its content does not match the leaf hash sealed for it"})
			}
		}
		return
	}
}

// checkRoots recomputes the root at each anchor's size.
func (r *Report) checkRoots(hasher merkle.LogHasher, st *State, sealed, leaves [][]byte, anchors []Anchor) {
	type want struct {
		size   uint64
		root   []byte
		source string
	}
	var wants []want
	for _, a := range anchors {
		if a.Verifier == nil {
			r.add(Finding{Kind: "checkpoint", Detail: a.Source + ": no key to check its signature"})
			continue
		}
		c, err := tlog.Open(a.Note, a.Verifier)
		if err != nil {
			r.add(Finding{Kind: "checkpoint", Detail: fmt.Sprintf("%s: %v", a.Source, err)})
			continue
		}
		wants = append(wants, want{c.Size, c.Root, a.Source})
	}
	slices.SortFunc(wants, func(a, b want) int { return cmp.Compare(a.size, b.size) })
	rf := &compact.RangeFactory{Hash: hasher.HashChildren}
	rng := rf.NewEmptyRange(0)
	total := st.Purged + uint64(len(leaves))
	leafAt := func(p uint64) []byte {
		if p < st.Purged {
			if p < uint64(len(sealed)) {
				return sealed[p]
			}
			return nil
		}
		return leaves[p-st.Purged]
	}
	checked := map[uint64]bool{}
	for _, w := range wants {
		if w.size > total {
			r.add(Finding{Seq: int64(total) + 1, Kind: "truncated", Detail: fmt.Sprintf("%s checkpoint covers %d entries but only %d are stored", w.source, w.size, total)})
			continue
		}
		for rng.End() < w.size {
			h := leafAt(rng.End())
			if h == nil {
				r.add(Finding{Seq: int64(rng.End()) + 1, Kind: "removed", Detail: "a purged entry's leaf hash is missing"})
				return
			}
			if err := rng.Append(h, nil); err != nil {
				r.add(Finding{Kind: "checkpoint", Detail: err.Error()})
				return
			}
		}
		if got := rootOf(rng, hasher); !sameHash(got, w.root) {
			r.add(Finding{Kind: "checkpoint", Detail: fmt.Sprintf("%s checkpoint of size %d: the stored entries give root %s, the checkpoint signed %s",
				w.source, w.size, base64.StdEncoding.EncodeToString(got), base64.StdEncoding.EncodeToString(w.root))})
			continue
		}
		if !checked[w.size] {
			checked[w.size] = true
			r.Checkpoints = append(r.Checkpoints, w.size)
		}
	}
	for rng.End() < st.Size && rng.End() < total {
		_ = rng.Append(leafAt(rng.End()), nil)
	}
	r.Root = base64.StdEncoding.EncodeToString(rootOf(rng, hasher))
}
