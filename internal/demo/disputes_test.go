package demo_test

import (
	"context"
	"testing"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/app"
	"github.com/govshare/govshare/internal/auth"
	"github.com/govshare/govshare/internal/demo"
	"github.com/govshare/govshare/internal/dispute"
	"github.com/govshare/govshare/internal/store"
	"github.com/govshare/govshare/internal/storetest"
)

// The demo has one dispute in each stage or outcome of Art. 28, each with
// the coordinating authority its parties' places call for.
func TestDemoDisputes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a := app.New(s, demo.ReferenceClock, auth.DefaultPolicy)
		p, err := demo.Load(ctx, a)
		if err != nil {
			t.Fatal(err)
		}
		zj := access.Actor{PersonID: "t", DepartmentID: p.Departments["浙江省数据局"].ID, DivisionCode: "330000", Roles: []access.Role{access.AuthorityReviewer}}
		want := map[string]struct {
			state     dispute.State
			authority string
			tier      dispute.Tier
			stages    int
		}{
			"negotiating":                  {dispute.Negotiating, "浙江省数据局", dispute.SameLevel, 1},
			"resolved_by_negotiation":      {dispute.Resolved, "杭州市数据资源管理局", dispute.SameLevel, 1},
			"coordinating_same_level":      {dispute.Coordinating, "浙江省数据局", dispute.SameLevel, 2},
			"coordinating_common_superior": {dispute.Coordinating, "浙江省数据局", dispute.CommonSuperior, 2},
			"referred":                     {dispute.Referred, "宁波市大数据发展管理局", dispute.SameLevel, 3},
			"decided":                      {dispute.Decided, "浙江省数据局", dispute.SameLevel, 3},
		}
		if len(p.Disputes) != len(demo.DisputeStates) || len(want) != len(demo.DisputeStates) {
			t.Fatalf("demo disputes %v", p.Disputes)
		}
		for _, label := range demo.DisputeStates {
			w := want[label]
			d, err := a.Disputes.Get(ctx, zj, p.Disputes[label]) // the province's reviewer sees them all
			if err != nil {
				t.Fatalf("%s: %v", label, err)
			}
			if d.State != w.state || d.Authority.DepartmentID != p.Departments[w.authority].ID || d.Authority.Tier != w.tier || len(d.Stages) != w.stages {
				t.Errorf("%s: %s by %s (%s), %d stages", label, d.State, d.Authority.DepartmentName, d.Authority.Tier, len(d.Stages))
			}
			// Negotiating waits on the consumer's answer to the provider's
			// proposal; resolved by negotiation is a proposal the consumer confirmed.
			switch label {
			case "negotiating":
				if d.Proposal == nil || d.Proposal.As != "provider" || d.Agreement != nil {
					t.Errorf("%s: proposal %+v", label, d.Proposal)
				}
			case "resolved_by_negotiation":
				last := d.Records[len(d.Records)-1]
				if d.Agreement == nil || d.Agreement.Kind != "proposal" || d.Agreement.As != "provider" || last.Kind != "confirmation" || last.As != "consumer" {
					t.Errorf("%s: agreement %+v, last record %+v", label, d.Agreement, last)
				}
			}
		}
	})
}
