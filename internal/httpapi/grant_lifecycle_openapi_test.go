package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/app"
	"github.com/govshare/govshare/internal/auth"
	"github.com/govshare/govshare/internal/demo"
	"github.com/govshare/govshare/internal/grant"
	"github.com/govshare/govshare/internal/storetest"
)

// TestGrantLifecycleMatchesSchema: the demo's grants in every state after
// delivery — with a suspension and its reports, a disposal requirement, a
// disposal, a disposal deadline — are what the SharingGrant schema
// describes, field by field (it allows no others).
func TestGrantLifecycleMatchesSchema(t *testing.T) {
	ctx := context.Background()
	now := demo.ReferenceTime
	a := app.New(storetest.SQLite(t), func() time.Time { return now }, auth.DefaultPolicy)
	p, err := demo.Load(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	now = now.AddDate(0, 0, 2) // the "expired" one has expired
	schema := oaSchemas(t)("SharingGrant")
	admin := access.Actor{Roles: []access.Role{access.PlatformAdmin}}
	for _, st := range demo.GrantLifecycleStates {
		g, err := a.Grants.Get(ctx, admin, p.GrantLifecycle[st])
		if err != nil {
			t.Fatal(err)
		}
		if st != "active" && g.State == grant.Active {
			t.Errorf("%s: still active", st)
		}
		b, err := json.Marshal(g)
		if err != nil {
			t.Fatal(err)
		}
		v, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		if err := schema.Validate(v); err != nil {
			t.Errorf("%s: %v\n%s", st, err, b)
		}
	}
}
