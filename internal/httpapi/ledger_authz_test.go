package httpapi_test

import (
	"context"
	"fmt"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/ledger"
)

// ledgerWalkCases are the authorisation walk's cases for the ledger:
// hashes for everyone signed in, the public key for anyone, raw entries for
// admins and auditors, inclusion proofs for those who may read the entry.
func ledgerWalkCases(e *env) map[string]walkCase {
	withLedgerKey(e.t, e)
	gat := e.p.Departments["浙江省公安厅"]
	// An act of gat's, which gat's office head may prove and hzga's not.
	evs, err := e.app.Ledger.Events(context.Background(), access.Actor{PersonID: "walk", Roles: []access.Role{access.PlatformAdmin}},
		ledger.Filter{DepartmentID: gat.ID, Limit: 1})
	if err != nil || len(evs) == 0 {
		e.t.Fatalf("an event of gat: %v %v", evs, err)
	}
	seq := evs[0].Seq
	return map[string]walkCase{
		"GET /api/v1/ledger/checkpoint": {build: fixed("GET", "/api/v1/ledger/checkpoint", nil), dflt: 200},
		"GET /api/v1/ledger/public-key": {build: fixed("GET", "/api/v1/ledger/public-key", nil), dflt: 200},
		"GET /api/v1/ledger/entries": {build: fixed("GET", "/api/v1/ledger/entries?start=1&limit=5", nil),
			want: only(200, "admin", "audit"), dflt: 403, comment: "raw entries name people: admins and auditors"},
		"GET /api/v1/ledger/proofs/inclusion": {build: fixed("GET", fmt.Sprintf("/api/v1/ledger/proofs/inclusion?seq=%d", seq), nil),
			want: map[string]int{"admin": 200, "audit": 200, "zj.reviewer": 200, "hz.reviewer": 200, "gat.head": 200, "hzga.head": 404}, dflt: 403,
			comment: "an office head proves only the events it may read"},
		"GET /api/v1/ledger/proofs/consistency": {build: fixed("GET", "/api/v1/ledger/proofs/consistency?from=1", nil), dflt: 200},
	}
}
