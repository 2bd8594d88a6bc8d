package httpapi

import (
	"net/http"
	"strconv"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/ledger/tlog"
	"github.com/govshare/govshare/internal/problem"
)

// The tamper-evident ledger (issue #5): checkpoints, the public key,
// entries by range and the proofs. docs/ledger.md describes the formats.
func (api *API) ledgerRoutes() []Route {
	return []Route{
		{"GET", "/api/v1/ledger/checkpoint", false, "The latest signed checkpoint (text/plain, a C2SP signed note)", api.ledgerCheckpoint},
		{"GET", "/api/v1/ledger/public-key", true, "The node's checkpoint public key", api.ledgerPublicKey},
		{"GET", "/api/v1/ledger/entries", false, "Ledger entries by range, with their leaf hashes", api.ledgerEntries},
		{"GET", "/api/v1/ledger/proofs/inclusion", false, "Inclusion proof of an entry in a tree size", api.ledgerInclusion},
		{"GET", "/api/v1/ledger/proofs/consistency", false, "Consistency proof between two tree sizes", api.ledgerConsistency},
	}
}

func (api *API) ledgerCheckpoint(w http.ResponseWriter, r *http.Request, _ access.Actor) error {
	st, err := api.app.Tree.Latest(r.Context())
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(st.Checkpoint)
	return nil
}

type publicKeyDoc struct {
	Origin        string `json:"origin"`
	HashAlgorithm string `json:"hash_algorithm"`
	PublicKeyPEM  string `json:"public_key_pem"`
	VerifierKey   string `json:"verifier_key"`
}

func (api *API) ledgerPublicKey(w http.ResponseWriter, r *http.Request, _ access.Actor) error {
	pub := api.app.Tree.PublicKey()
	if pub == nil {
		return problem.New(problem.Unavailable, "ledger.no_signer", "账本签名密钥未配置", "this node has no checkpoint signing key")
	}
	pemb, err := tlog.PublicKeyPEM(pub)
	if err != nil {
		return err
	}
	doc := publicKeyDoc{Origin: api.app.Tree.Origin(), PublicKeyPEM: string(pemb), VerifierKey: tlog.VerifierKey(api.app.Tree.Origin(), pub)}
	if st, err := api.app.Tree.Latest(r.Context()); err == nil {
		doc.HashAlgorithm = string(st.Algorithm)
	}
	writeJSON(w, http.StatusOK, doc)
	return nil
}

func (api *API) ledgerEntries(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	start, err := queryInt64(r, "start", 1)
	if err != nil {
		return err
	}
	limit, err := queryInt(r, "limit", 100, 1, 1000)
	if err != nil {
		return err
	}
	es, err := api.app.Tree.Entries(r.Context(), a, start, limit)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": es})
	return nil
}

type inclusionDoc struct {
	Seq      int64    `json:"seq"`
	Index    uint64   `json:"leaf_index"`
	TreeSize uint64   `json:"tree_size"`
	LeafHash []byte   `json:"leaf_hash"`
	Hashes   [][]byte `json:"hashes"`
}

func (api *API) ledgerInclusion(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	seq, err := queryInt64(r, "seq", 0)
	if err != nil {
		return err
	}
	if seq < 1 {
		return malformed("seq", "request.parameter_required", "缺少参数", "seq is required: the entry's sequence number, from 1")
	}
	size, err := queryInt64(r, "tree_size", 0)
	if err != nil {
		return err
	}
	p, err := api.app.Tree.InclusionFor(r.Context(), a, api.app.Ledger, seq, uint64(size))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, inclusionDoc{Seq: p.Seq, Index: uint64(p.Seq - 1), TreeSize: p.Size, LeafHash: p.LeafHash, Hashes: nonNil(p.Hashes)})
	return nil
}

func (api *API) ledgerConsistency(w http.ResponseWriter, r *http.Request, _ access.Actor) error {
	from, err := queryInt64(r, "from", -1)
	if err != nil {
		return err
	}
	if from < 0 {
		return malformed("from", "request.parameter_required", "缺少参数", "from is required: the older tree size")
	}
	to, err := queryInt64(r, "to", 0)
	if err != nil {
		return err
	}
	hashes, err := api.app.Tree.Consistency(r.Context(), uint64(from), uint64(to))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"from": from, "to": to, "hashes": nonNil(hashes)})
	return nil
}

func nonNil(h [][]byte) [][]byte {
	if h == nil {
		return [][]byte{}
	}
	return h
}

// queryInt64 reads a non-negative whole number; def when absent.
func queryInt64(r *http.Request, name string, def int64) (int64, error) {
	s := r.URL.Query().Get(name)
	if s == "" {
		return def, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return 0, malformed(name, "request.bad_parameter", "参数无效", name+" must be a whole number, 0 or more")
	}
	return n, nil
}
