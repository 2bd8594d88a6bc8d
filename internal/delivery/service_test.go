package delivery_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/app"
	"github.com/govshare/govshare/internal/application"
	"github.com/govshare/govshare/internal/auth"
	"github.com/govshare/govshare/internal/dataset"
	"github.com/govshare/govshare/internal/delivery"
	"github.com/govshare/govshare/internal/demo"
	"github.com/govshare/govshare/internal/gateway"
	"github.com/govshare/govshare/internal/ledger"
	"github.com/govshare/govshare/internal/problem"
	"github.com/govshare/govshare/internal/store"
	"github.com/govshare/govshare/internal/storetest"
)

// TestQuery drives the service interface without HTTP: gat hosts rows of
// 常住人口基本信息, scjg holds a grant of three of its items, and a caller of
// scjg reads them; a caller of another department is refused; each call is
// recorded.
func TestQuery(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a := app.New(s, demo.ReferenceClock, auth.DefaultPolicy)
		p, err := demo.Load(ctx, a)
		if err != nil {
			t.Fatal(err)
		}
		var base int64 // the demo's own deliveries come before
		if err := s.Read(ctx, func(tx *store.Tx) (err error) { base, err = tx.EventCount(ctx); return err }); err != nil {
			t.Fatal(err)
		}
		as := func(username string) access.Actor {
			t.Helper()
			var ac *access.Actor
			err := s.Read(ctx, func(tx *store.Tx) (err error) { ac, err = tx.Actor(ctx, p.Account(username).ID); return err })
			if err != nil || ac == nil {
				t.Fatalf("actor %s: %v", username, err)
			}
			return *ac
		}
		raw := func(v string) json.RawMessage { b, _ := json.Marshal(v); return b }
		entry := p.Entries["常住人口基本信息"]
		if _, err := a.Datasets.Load(ctx, as("gat.staff"), entry, dataset.Load{Mode: dataset.Upsert, Rows: []dataset.Row{
			{"居民身份证号码": raw("330102199001011234"), "姓名": raw("张三"), "性别": raw("男"), "户籍地址": raw("杭州市西湖区文三路1号")},
		}}); err != nil {
			t.Fatal(err)
		}
		ap, err := a.Applications.Create(ctx, as("scjg.staff"), application.NewApplication{EntryID: entry,
			Items: []string{"居民身份证号码", "姓名", "性别"}, LegalBasis: "《市场主体登记管理条例》第十二条", Scenario: "企业登记核验",
			Scope: "登记窗口", DeliveryMethod: application.ServiceInterface, TimeLimit: application.TimeLimit{Months: 12}})
		if err != nil {
			t.Fatal(err)
		}
		if ap, err = a.Applications.Approve(ctx, as("scjg.head"), ap.ID, application.Command{Version: ap.Version}); err != nil {
			t.Fatal(err)
		}
		if ap, err = a.Applications.Reply(ctx, as("gat.head"), ap.ID, application.ReplyRequest{Decision: application.Approve, Version: ap.Version}); err != nil {
			t.Fatal(err)
		}
		g, err := a.Grants.Get(ctx, as("gat.head"), ap.Reply.Grant.ID)
		if err != nil {
			t.Fatal(err)
		}
		caller := gateway.Caller{SystemID: "sys-test", DepartmentID: g.ConsumerID}
		where := dataset.Row{"居民身份证号码": raw("330102199001011234"), "姓名": raw("张三")}

		res, err := a.Delivery.Query(ctx, caller, delivery.QueryRequest{GrantID: g.ID, Purpose: "企业登记核验", Items: []string{"姓名", "性别"}, Where: where})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Rows) != 1 || string(res.Rows[0]["性别"]) != `"男"` || string(res.Rows[0]["姓名"]) != `"张三"` || len(res.Rows[0]) != 2 {
			t.Fatalf("rows %v, want 姓名 and 性别 of 张三", res.Rows)
		}

		// An item outside the grant is refused, and so is a caller of
		// another department.
		_, err = a.Delivery.Query(ctx, caller, delivery.QueryRequest{GrantID: g.ID, Purpose: "企业登记核验", Items: []string{"户籍地址"}, Where: where})
		var pe *problem.Error
		if !errors.As(err, &pe) || pe.Kind != problem.Forbidden {
			t.Fatalf("ungranted item: %v, want forbidden", err)
		}
		other := gateway.Caller{SystemID: "sys-other", DepartmentID: g.ProviderID}
		_, err = a.Delivery.Query(ctx, other, delivery.QueryRequest{GrantID: g.ID, Purpose: "企业登记核验", Items: []string{"姓名"}, Where: where})
		if !errors.As(err, &pe) || pe.Code != "gateway.not_consumer" {
			t.Fatalf("other department: %v, want gateway.not_consumer", err)
		}

		// Every call, refused or not, is on the ledger against the grant.
		var evs []ledger.Event
		if err := s.Read(ctx, func(tx *store.Tx) (err error) {
			evs, err = tx.ListEvents(ctx, ledger.Filter{Action: delivery.ActionQuery, After: base, Limit: 100})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if len(evs) != 3 {
			t.Fatalf("%d %s events, want 3", len(evs), delivery.ActionQuery)
		}
		for _, ev := range evs {
			if ev.ObjectType != "grant" || ev.ObjectID != g.ID || ev.ObjectDepartmentID != g.ConsumerID {
				t.Errorf("event %+v, want grant %s of %s", ev, g.ID, g.ConsumerID)
			}
		}
	})
}
