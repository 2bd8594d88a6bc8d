package demo_test

import (
	"context"
	"strings"
	"testing"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/app"
	"github.com/govshare/govshare/internal/application"
	"github.com/govshare/govshare/internal/auth"
	"github.com/govshare/govshare/internal/demo"
	"github.com/govshare/govshare/internal/exchange"
	"github.com/govshare/govshare/internal/gateway"
	"github.com/govshare/govshare/internal/grant"
	"github.com/govshare/govshare/internal/store"
	"github.com/govshare/govshare/internal/storetest"
)

// The demo province delivers by all three methods: a service-interface and
// a batch-exchange grant used once at load (their obligations closed on
// time), a file-download grant, one grant left undelivered, systems for
// each consumer, and return flows that give each county only its rows.
func TestDemoDeliveries(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a := app.New(s, demo.ReferenceClock, auth.DefaultPolicy)
		keys, err := gateway.NewKeyring(make([]byte, 32))
		if err != nil {
			t.Fatal(err)
		}
		a.Gateway.UseKeyring(keys)
		p, err := demo.Load(ctx, a)
		if err != nil {
			t.Fatal(err)
		}
		d := p.Deliveries
		admin := access.Actor{Roles: []access.Role{access.PlatformAdmin}}
		methods := map[string]bool{}
		for label, id := range d.Grants {
			var g *grant.Grant
			if err := s.Read(ctx, func(tx *store.Tx) (err error) { g, err = tx.Grant(ctx, id); return err }); err != nil || g == nil {
				t.Fatalf("grant of %s: %v", label, err)
			}
			methods[g.DeliveryMethod] = true
		}
		for _, m := range []string{application.ServiceInterface, application.BatchExchange, application.FileDownload} {
			if !methods[m] {
				t.Errorf("no demo grant delivers by %s: %v", m, d.Grants)
			}
		}
		for label, delivered := range map[string]bool{"approved": true, "approved_unconditional": true, "approved_after_supplement": false} {
			got, err := a.Applications.Get(ctx, admin, p.Applications[label])
			if err != nil {
				t.Fatal(err)
			}
			if (got.Delivered != nil) != delivered || (delivered && !got.Delivered.OnTime) {
				t.Errorf("%s: delivered %+v, want delivered=%v on time", label, got.Delivered, delivered)
			}
		}
		if len(d.Systems) != 3 {
			t.Fatalf("systems %+v", d.Systems)
		}
		for _, sc := range d.Systems {
			if !strings.HasPrefix(sc.KeyID, "gsk_") || sc.Secret == "" || len(sc.Grants) == 0 {
				t.Errorf("system %s: key %q, %d grants", sc.System, sc.KeyID, len(sc.Grants))
			}
		}
		// 海曙区 gets 海曙区's two households; 西湖区 the one in its
		// township; nobody 上城区's.
		for sub, want := range map[string][]string{"海曙区民政局": {"王阿婆", "李建国"}, "西湖区民政局": {"赵红梅"}} {
			dept := p.Departments[sub]
			page, err := a.Exchange.PullReturnFlow(ctx, gateway.Caller{SystemID: "demo-test", DepartmentID: dept.ID, DivisionCode: dept.DivisionCode},
				exchange.ReturnFlowPullRequest{SubscriptionID: d.ReturnFlows[sub]})
			if err != nil {
				t.Fatalf("%s: %v", sub, err)
			}
			body := string(page.Records)
			if page.Count != len(want) || strings.Contains(body, "钱小龙") {
				t.Errorf("%s: %d rows %s", sub, page.Count, body)
			}
			for _, name := range want {
				if !strings.Contains(body, name) {
					t.Errorf("%s: missing %s in %s", sub, name, body)
				}
			}
		}
	})
}
