package ledger

import (
	"bytes"
	"context"
	"crypto"
	"errors"
	"fmt"
	"time"

	"github.com/transparency-dev/merkle"
	"github.com/transparency-dev/merkle/compact"
	"golang.org/x/mod/sumdb/note"

	"github.com/govshare/govshare/internal/ledger/tlog"
	"github.com/govshare/govshare/internal/problem"
)

// The events are the leaves of an RFC 6962 Merkle tree: event n is leaf
// n-1, its leaf data tlog.Entry's bytes. The tree is integrated after the
// events are committed, so recording an act costs one row and no hashing;
// each integration stores the new perfect subtrees' hashes (for proofs) and
// a checkpoint signed by the node. An act is in the ledger when its event
// is committed; it is sealed when a signed checkpoint covers it, within
// about a second under the integrator that `serve` runs.

// State is the tree as stored.
type State struct {
	Algorithm  tlog.Algorithm
	Size       uint64 // events integrated
	Root       []byte
	Checkpoint []byte // the signed note of Size and Root
	// Purged events (1..Purged) were removed after their retention; their
	// leaf hashes remain.
	Purged uint64
}

// Node is a perfect subtree's hash: level 0 are leaves.
type Node struct {
	Level uint
	Index uint64
	Hash  []byte
}

// StoredCheckpoint is a checkpoint kept as an anchor for verification.
type StoredCheckpoint struct {
	Size uint64
	At   time.Time
	Note []byte
}

// TreeTx is what integrating and proving need from a transaction.
type TreeTx interface {
	// LedgerState returns nil before the first integration.
	LedgerState(ctx context.Context) (*State, error)
	// SaveLedgerState stores s in place of prev (nil: there was no state);
	// it returns ErrTreeMoved if the stored state is no longer prev.
	SaveLedgerState(ctx context.Context, s State, prev *State) error
	EventCount(ctx context.Context) (int64, error)
	// EventsAfter returns up to limit events with seq > after, in order.
	EventsAfter(ctx context.Context, after int64, limit int) ([]Event, error)
	// LedgerNodes returns the hashes of ids, in order; a missing one is an
	// error.
	LedgerNodes(ctx context.Context, ids []compact.NodeID) ([][]byte, error)
	PutLedgerNodes(ctx context.Context, nodes []Node) error
	// LatestCheckpoint returns the newest anchor, nil if none.
	LatestCheckpoint(ctx context.Context) (*StoredCheckpoint, error)
	SaveCheckpoint(ctx context.Context, c StoredCheckpoint) error
}

// ErrTreeMoved means another integrator (another node) integrated first.
var ErrTreeMoved = errors.New("ledger: the tree moved while integrating")

// integrateBatch bounds the events one integration step hashes and writes,
// so the writer is held briefly.
const integrateBatch = 2048

// anchorEvery is how often a checkpoint is also kept as an anchor.
const anchorEvery = time.Minute

// TreeConfig is set when the node starts.
type TreeConfig struct {
	// Algorithm is the hash for a new ledger (tlog.DefaultAlgorithm when empty); an
	// existing ledger keeps its own.
	Algorithm tlog.Algorithm
	// Origin names this log in its checkpoints, e.g. "govshare/浙江省".
	Origin string
	// Signer signs checkpoints; nil leaves the tree read-only (proofs and
	// verification still work). PublicKey is its public half, served to
	// auditors.
	Signer    note.Signer
	PublicKey crypto.PublicKey
}

// Tree integrates the events into the Merkle tree and answers proofs.
type Tree struct {
	write, read func(ctx context.Context, fn func(TreeTx) error) error
	cfg         TreeConfig
	now         func() time.Time
}

// NewTree returns the tree service.
func NewTree(write, read func(ctx context.Context, fn func(TreeTx) error) error, now func() time.Time, cfg TreeConfig) *Tree {
	if cfg.Algorithm == "" {
		cfg.Algorithm = tlog.DefaultAlgorithm
	}
	if cfg.Origin == "" {
		cfg.Origin = "govshare"
	}
	return &Tree{write: write, read: read, cfg: cfg, now: now}
}

// Configure replaces the configuration (the command that opens the node
// sets the signer after loading its key).
func (t *Tree) Configure(cfg TreeConfig) {
	if cfg.Algorithm == "" {
		cfg.Algorithm = tlog.DefaultAlgorithm
	}
	if cfg.Origin == "" {
		cfg.Origin = "govshare"
	}
	t.cfg = cfg
}

// Origin is the log's name in its checkpoints.
func (t *Tree) Origin() string { return t.cfg.Origin }

// CanSign reports whether the node has a checkpoint key.
func (t *Tree) CanSign() bool { return t.cfg.Signer != nil }

var errNoSigner = problem.New(problem.Unavailable, "ledger.no_signer", "账本签名密钥未配置", "this node has no checkpoint signing key")

// Integrate brings the tree up to every committed event and signs a
// checkpoint; it returns the new state. The first call sets the ledger up
// with the configured hash.
func (t *Tree) Integrate(ctx context.Context) (State, error) {
	if t.cfg.Signer == nil {
		return State{}, errNoSigner
	}
	for {
		st, more, err := t.step(ctx)
		if errors.Is(err, ErrTreeMoved) {
			continue // another node integrated; start again from its state
		}
		if err != nil || !more {
			return st, err
		}
	}
}

// step integrates at most integrateBatch events: the events and the
// tree's right border are read and hashed outside the writer, and written
// only if the tree did not move meanwhile.
func (t *Tree) step(ctx context.Context) (State, bool, error) {
	var (
		prev   *State
		border [][]byte
		evs    []Event
		count  int64
	)
	err := t.read(ctx, func(tx TreeTx) (err error) {
		if prev, err = tx.LedgerState(ctx); err != nil {
			return err
		}
		if count, err = tx.EventCount(ctx); err != nil {
			return err
		}
		var size uint64
		if prev != nil {
			size = prev.Size
		}
		if uint64(count) <= size {
			return nil
		}
		if border, err = tx.LedgerNodes(ctx, compact.RangeNodes(0, size, nil)); err != nil {
			return err
		}
		evs, err = tx.EventsAfter(ctx, int64(size), integrateBatch)
		return err
	})
	if err != nil {
		return State{}, false, err
	}
	if prev != nil && len(evs) == 0 {
		return *prev, false, nil
	}
	alg := t.cfg.Algorithm
	var size uint64
	if prev != nil {
		alg, size = prev.Algorithm, prev.Size
	}
	hasher, err := tlog.HasherFor(alg)
	if err != nil {
		return State{}, false, err
	}
	rf := &compact.RangeFactory{Hash: hasher.HashChildren}
	rng, err := rf.NewRange(0, size, border)
	if err != nil {
		return State{}, false, fmt.Errorf("ledger: tree border at %d: %w", size, err)
	}
	var nodes []Node
	visit := func(id compact.NodeID, h []byte) {
		nodes = append(nodes, Node{Level: id.Level, Index: id.Index, Hash: h})
	}
	for i, e := range evs {
		if want := int64(size) + int64(i) + 1; e.Seq != want {
			// Committed events are numbered without gaps: a gap is an
			// event removed behind the platform's back. Stop sealing and
			// let `govshare ledger verify` name it.
			return State{}, false, fmt.Errorf("ledger: event %d is missing (found %d): the record was altered; run govshare ledger verify", want, e.Seq)
		}
		if err := rng.Append(hasher.HashLeaf(EntryOf(e).Leaf()), visit); err != nil {
			return State{}, false, err
		}
	}
	next := State{Algorithm: alg, Size: rng.End(), Root: rootOf(rng, hasher)}
	if prev != nil {
		next.Purged = prev.Purged
	}
	now := t.now().UTC()
	signed, err := tlog.Sign(tlog.Checkpoint{Origin: t.cfg.Origin, Size: next.Size, Root: next.Root, Time: now}, t.cfg.Signer)
	if err != nil {
		return State{}, false, fmt.Errorf("ledger: sign checkpoint: %w", err)
	}
	next.Checkpoint = signed
	err = t.write(ctx, func(tx TreeTx) error {
		if err := tx.SaveLedgerState(ctx, next, prev); err != nil {
			return err
		}
		if err := tx.PutLedgerNodes(ctx, nodes); err != nil {
			return err
		}
		last, err := tx.LatestCheckpoint(ctx)
		if err != nil {
			return err
		}
		if last != nil && (last.Size == next.Size || now.Sub(last.At) < anchorEvery) {
			return nil // an anchor of this minute is kept already
		}
		return tx.SaveCheckpoint(ctx, StoredCheckpoint{Size: next.Size, At: now, Note: signed})
	})
	if err != nil {
		return State{}, false, err
	}
	return next, len(evs) == integrateBatch, nil
}

// rootOf is the root hash of a range starting at 0.
func rootOf(rng *compact.Range, h merkle.LogHasher) []byte {
	root, err := rng.GetRootHash(nil)
	if err != nil || root == nil {
		return h.EmptyRoot()
	}
	return root
}

// EntryOf is the leaf of event e.
func EntryOf(e Event) tlog.Entry {
	return tlog.Entry{At: e.At, ActorID: e.ActorID, DepartmentID: e.DepartmentID, Action: e.Action, ObjectType: e.ObjectType,
		ObjectID: e.ObjectID, ObjectDepartmentID: e.ObjectDepartmentID, Digest: e.Digest}
}

// Latest returns the stored state: the latest signed checkpoint.
func (t *Tree) Latest(ctx context.Context) (State, error) {
	var st *State
	err := t.read(ctx, func(tx TreeTx) (err error) { st, err = tx.LedgerState(ctx); return err })
	if err != nil {
		return State{}, err
	}
	if st == nil {
		return State{}, errNotSetUp
	}
	return *st, nil
}

var errNotSetUp = problem.New(problem.Unavailable, "ledger.not_set_up", "账本尚未初始化", "the ledger has no checkpoint yet; the node signs its first one when it starts")

func hasherOf(st *State) (merkle.LogHasher, error) { return tlog.HasherFor(st.Algorithm) }

// sameHash compares two hashes.
func sameHash(a, b []byte) bool { return bytes.Equal(a, b) }
