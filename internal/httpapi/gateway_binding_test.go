package httpapi_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/govshare/govshare/internal/application"
	"github.com/govshare/govshare/internal/ledger"
	"github.com/govshare/govshare/internal/store"
	"github.com/govshare/govshare/internal/storetest"
)

// A system bound to some grants of its department uses only those: a call
// under another grant of the same department is refused with
// gateway.grant_not_bound and recorded; binding to a grant of another
// department is refused naming the field; an empty list lifts the binding.
func TestSystemBoundToGrants(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := gatewaySetup(t, s)
		e, ctx := f.e, context.Background()
		// A second grant of scjg, for another scenario.
		a, err := e.app.Applications.Create(ctx, e.as("scjg.staff"), application.NewApplication{EntryID: e.p.Entries["常住人口基本信息"],
			Items: []string{"居民身份证号码", "姓名"}, LegalBasis: "《企业信息公示暂行条例》第八条", Scenario: "企业年报核验",
			Scope: "信用监管处", DeliveryMethod: application.ServiceInterface, TimeLimit: application.TimeLimit{Months: 12}})
		if err != nil {
			t.Fatal(err)
		}
		if a, err = e.app.Applications.Approve(ctx, e.as("scjg.head"), a.ID, application.Command{Version: a.Version}); err != nil {
			t.Fatal(err)
		}
		if a, err = e.app.Applications.Reply(ctx, e.as("gat.head"), a.ID, application.ReplyRequest{Decision: application.Approve, Version: a.Version}); err != nil {
			t.Fatal(err)
		}
		other := a.Reply.Grant.ID
		query := func(grantID, purpose string) response {
			return f.call(&f.key, "/gateway/v1/query", map[string]any{"grant_id": grantID, "purpose": purpose, "items": []string{"姓名"}, "where": where(gwID, gwName)})
		}
		if r := query(other, "企业年报核验"); r.status != http.StatusOK {
			t.Fatalf("unbound system, another grant of its department: %d %s", r.status, r.body)
		}
		path := "/api/v1/systems/" + f.caller.ID + "/grants"
		version := func() int64 {
			sys, err := e.app.Gateway.Get(ctx, e.as("scjg.staff"), f.caller.ID)
			if err != nil {
				t.Fatal(err)
			}
			return sys.Version
		}
		foreign := e.p.Deliveries.Grants["approved"] // 省人社厅's grant
		r := e.do("scjg.staff", "PUT", path, map[string]any{"grants": []string{foreign}, "version": version()})
		if p := r.problem(t); r.status != http.StatusUnprocessableEntity || p.Code != "system.grant_invalid" || p.Field != "grants[0]" {
			t.Fatalf("binding another department's grant: %d %s", r.status, r.body)
		}
		r = e.do("scjg.staff", "PUT", path, map[string]any{"grants": []string{f.grant.ID}, "version": version()})
		if r.status != http.StatusOK {
			t.Fatalf("bind: %d %s", r.status, r.body)
		}
		if r := query(f.grant.ID, "企业登记核验"); r.status != http.StatusOK {
			t.Fatalf("bound grant: %d %s", r.status, r.body)
		}
		r = query(other, "企业年报核验")
		if p := r.problem(t); r.status != http.StatusForbidden || p.Code != "gateway.grant_not_bound" {
			t.Fatalf("unbound grant: %d %s", r.status, r.body)
		}
		evs := f.events("gateway.query")
		want, _ := ledger.Digest(gwRecord{SystemID: f.caller.ID, GrantID: other, Purpose: "企业年报核验", Items: []string{"姓名"}, Outcome: "gateway.grant_not_bound"})
		if last := evs[len(evs)-1]; last.ObjectID != other || last.Digest != want {
			t.Fatalf("the refusal is not recorded as such: %+v", last)
		}
		r = e.do("scjg.staff", "PUT", path, map[string]any{"grants": []string{}, "version": version()})
		if r.status != http.StatusOK {
			t.Fatalf("unbind: %d %s", r.status, r.body)
		}
		if r := query(other, "企业年报核验"); r.status != http.StatusOK {
			t.Fatalf("after lifting the binding: %d %s", r.status, r.body)
		}
	})
}
