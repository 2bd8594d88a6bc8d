package ledger

import (
	"context"
	"fmt"

	"github.com/transparency-dev/merkle"
	"github.com/transparency-dev/merkle/compact"
	"github.com/transparency-dev/merkle/proof"

	"github.com/govshare/govshare/internal/problem"
)

// InclusionProof shows that event Seq is leaf Seq-1 of the tree of Size
// leaves: with LeafHash and Hashes anyone recomputes the root of the
// checkpoint of that size (RFC 6962 §2.1.1).
type InclusionProof struct {
	Seq      int64
	Size     uint64
	LeafHash []byte
	Hashes   [][]byte
}

// Inclusion proves event seq in the tree of size leaves; size 0 means the
// latest checkpoint's.
func (t *Tree) Inclusion(ctx context.Context, seq int64, size uint64) (InclusionProof, error) {
	var out InclusionProof
	err := t.read(ctx, func(tx TreeTx) error {
		st, h, err := sealedState(ctx, tx)
		if err != nil {
			return err
		}
		if size == 0 {
			size = st.Size
		}
		if size > st.Size {
			return problem.Fieldf("tree_size", "ledger.size_beyond_tree", "树大小超出已签名的检查点", "tree_size %d is beyond the latest checkpoint's %d", size, st.Size)
		}
		if seq < 1 || uint64(seq) > size {
			return problem.Fieldf("seq", "ledger.seq_out_of_range", "条目序号超出范围", "seq must be between 1 and the tree size %d", size)
		}
		index := uint64(seq - 1)
		nodes, err := proof.Inclusion(index, size)
		if err != nil {
			return err
		}
		leaf, err := tx.LedgerNodes(ctx, []compact.NodeID{compact.NewNodeID(0, index)})
		if err != nil {
			return err
		}
		hashes, err := tx.LedgerNodes(ctx, nodes.IDs)
		if err != nil {
			return err
		}
		if hashes, err = nodes.Rehash(hashes, h.HashChildren); err != nil {
			return fmt.Errorf("ledger: inclusion proof: %w", err)
		}
		out = InclusionProof{Seq: seq, Size: size, LeafHash: leaf[0], Hashes: hashes}
		return nil
	})
	return out, err
}

// Consistency proves that the tree of size from is a prefix of the tree of
// size to (RFC 6962 §2.1.2): the log only grew between two checkpoints.
func (t *Tree) Consistency(ctx context.Context, from, to uint64) ([][]byte, error) {
	var out [][]byte
	err := t.read(ctx, func(tx TreeTx) error {
		st, h, err := sealedState(ctx, tx)
		if err != nil {
			return err
		}
		if to == 0 {
			to = st.Size
		}
		if to > st.Size {
			return problem.Fieldf("to", "ledger.size_beyond_tree", "树大小超出已签名的检查点", "to %d is beyond the latest checkpoint's %d", to, st.Size)
		}
		if from > to {
			return problem.Field("from", "ledger.sizes_out_of_order", "起始大小大于结束大小", "from must not exceed to")
		}
		nodes, err := proof.Consistency(from, to)
		if err != nil {
			return err
		}
		hashes, err := tx.LedgerNodes(ctx, nodes.IDs)
		if err != nil {
			return err
		}
		out, err = nodes.Rehash(hashes, h.HashChildren)
		return err
	})
	return out, err
}

// sealedState is the stored state and its hasher, or errNotSetUp.
func sealedState(ctx context.Context, tx TreeTx) (*State, merkle.LogHasher, error) {
	st, err := tx.LedgerState(ctx)
	if err != nil {
		return nil, nil, err
	}
	if st == nil {
		return nil, nil, errNotSetUp
	}
	h, err := hasherOf(st)
	return st, h, err
}
