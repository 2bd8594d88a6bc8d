package tlog

import (
	"fmt"

	"github.com/emmansun/gmsm/sm3"
	"github.com/transparency-dev/merkle"
	"github.com/transparency-dev/merkle/rfc6962"
)

// Algorithm names the hash function of a ledger's Merkle tree. It is part of
// what an auditor must be told, together with the verifier key, to check a
// ledger: the same entries give different roots under different algorithms.
type Algorithm string

// The supported tree hash algorithms.
const (
	// AlgorithmSM3 is RFC 6962 hashing with SM3 (GB/T 32905) in place of
	// SHA-256, the default because deployments run under the Chinese
	// commercial cryptography rules.
	AlgorithmSM3 Algorithm = "sm3"
	// AlgorithmSHA256 is RFC 6962 hashing exactly as specified.
	AlgorithmSHA256 Algorithm = "sha256"

	// DefaultAlgorithm is the algorithm a new ledger uses unless configured.
	DefaultAlgorithm = AlgorithmSM3
)

// SM3 is the RFC 6962 tree hasher with SM3: a leaf hashes to
// SM3(0x00 || data), an interior node to SM3(0x01 || left || right), and the
// empty tree's root is SM3 of the empty string.
var SM3 merkle.LogHasher = sm3Hasher{}

// SHA256 is the RFC 6962 tree hasher with SHA-256, taken from the reference
// implementation rather than written again.
var SHA256 merkle.LogHasher = rfc6962.DefaultHasher

// HasherFor returns the tree hasher for alg. There is deliberately no
// fallback for an empty or unknown name: guessing the algorithm would make a
// verification fail for the wrong reason, or pass for one.
func HasherFor(alg Algorithm) (merkle.LogHasher, error) {
	switch alg {
	case AlgorithmSM3:
		return SM3, nil
	case AlgorithmSHA256:
		return SHA256, nil
	default:
		return nil, fmt.Errorf("tlog: unknown hash algorithm %q (want %q or %q)", alg, AlgorithmSM3, AlgorithmSHA256)
	}
}

// sm3Hasher mirrors rfc6962.Hasher with SM3. rfc6962.New cannot be used:
// it takes a crypto.Hash, and SM3 is not registered in the standard library.
type sm3Hasher struct{}

// Domain separation prefixes of RFC 6962, section 2.1, shared with the
// SHA-256 hasher so a leaf can never be mistaken for an interior node.
const (
	leafPrefix = rfc6962.RFC6962LeafHashPrefix
	nodePrefix = rfc6962.RFC6962NodeHashPrefix
)

func (sm3Hasher) EmptyRoot() []byte {
	sum := sm3.Sum(nil)
	return sum[:]
}

func (sm3Hasher) HashLeaf(leaf []byte) []byte {
	h := sm3.New()
	h.Write([]byte{leafPrefix})
	h.Write(leaf)
	return h.Sum(nil)
}

func (sm3Hasher) HashChildren(l, r []byte) []byte {
	h := sm3.New()
	h.Write([]byte{nodePrefix})
	h.Write(l)
	h.Write(r)
	return h.Sum(nil)
}

func (sm3Hasher) Size() int { return sm3.Size }
