package exchange_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/dataset"
	"github.com/govshare/govshare/internal/demo"
	"github.com/govshare/govshare/internal/exchange"
	"github.com/govshare/govshare/internal/org"
	"github.com/govshare/govshare/internal/store"
	"github.com/govshare/govshare/internal/storetest"
)

// relief is an entry of 浙江省民政厅 whose rows name their division.
const relief = "困难群众救助对象信息"

// addCounty adds 拱墅区 (330105), a sibling of 西湖区 under 杭州市, with its
// civil affairs bureau and office head gsmz.head.
func (e *env) addCounty() {
	e.t.Helper()
	op := access.Operator("test")
	if _, err := e.app.Org.CreateDivision(e.ctx, op, org.Division{Code: "330105", Name: "拱墅区", Level: org.County, ParentCode: "330100"}); err != nil {
		e.t.Fatal(err)
	}
	d, err := e.app.Org.CreateDepartment(e.ctx, op, org.Department{Name: "拱墅区民政局", DivisionCode: "330105", Kind: org.KindDepartment})
	if err != nil {
		e.t.Fatal(err)
	}
	p, err := e.app.Org.CreatePerson(e.ctx, op, org.NewPerson{Username: "gsmz.head", DisplayName: "测试主任", DepartmentID: d.ID,
		Roles: []access.Role{access.OfficeHead}, Password: "a-test-password"})
	if err != nil {
		e.t.Fatal(err)
	}
	if d, err = e.app.Org.UpdateOffice(e.ctx, op, d.ID, org.OfficeUpdate{OfficeName: "办公室", OfficeHeadID: p.ID, Version: d.Version}); err != nil {
		e.t.Fatal(err)
	}
	e.p.Departments[d.Name] = d
	e.p.Accounts = append(e.p.Accounts, demo.Account{Username: "gsmz.head", Role: access.OfficeHead, Department: d.Name, ID: p.ID})
}

func person(n int, division string) dataset.Row {
	return dataset.Row{"居民身份证号码": raw(fmt.Sprintf("3301%014d", n)), "姓名": raw(fmt.Sprintf("救助对象%d", n)),
		"行政区划代码": raw(division), "救助金额": raw(json.Number(fmt.Sprint(500 + n)))}
}

// TestReturnFlow: 浙江省民政厅 returns its relief data to the civil affairs
// bureaux of two sibling counties and of their city. Each pulls only the
// rows of its own division and the divisions below it, judged on the
// division tree (a village the tree does not hold counts by its township; a
// county directly under the province does not count for the city its code
// resembles); neither county ever sees the other's rows nor those of another
// city. A row that moves out of a region reaches it as a delete; a row that
// moves in arrives.
func TestReturnFlow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		e.addCounty()
		e.publish("mzt.head", "zj.reviewer", relief, "居民身份证号码/C18/4*; 姓名/C50/3; 行政区划代码/C12/1; 救助金额/Y10/3")
		// 330199 is a county directly under the province: its code starts
		// like 杭州市's, but the tree does not put it there.
		if _, err := e.app.Org.CreateDivision(e.ctx, access.Operator("test"), org.Division{Code: "330199", Name: "测试县", Level: org.County, ParentCode: "330000"}); err != nil {
			t.Fatal(err)
		}
		divisions := []string{"330106", "330106001", "330106001002", "330105", "330203", "330100", "330000", "not-a-code", "330199"}
		var rows []dataset.Row
		for n := range 180 {
			rows = append(rows, person(n, divisions[n%len(divisions)]))
		}
		e.load("mzt.head", relief, rows)

		xh, gs := e.dept("西湖区民政局"), e.dept("拱墅区民政局")
		mzt := e.as("mzt.head")
		order := func(dept org.Department) exchange.Subscription {
			t.Helper()
			c, err := e.app.Exchange.Subscribe(e.ctx, mzt, exchange.NewSubscription{Kind: exchange.ReturnFlow, EntryID: e.p.Entries[relief],
				SubscriberID: dept.ID, DivisionItem: "行政区划代码"})
			if err != nil {
				t.Fatal(err)
			}
			if c.Secret != "" || c.State != exchange.Active || c.SubscriberDivision != dept.DivisionCode || len(c.Items) != 4 {
				t.Fatalf("return flow %+v", c)
			}
			return c.Subscription
		}
		xhSub, gsSub, hzSub := order(xh), order(gs), order(e.dept("杭州市民政局"))

		// Only the provider's office orders a return flow, only downwards.
		for _, c := range []struct {
			who, subscriber, item, code, field string
		}{
			{"xhmz.head", xh.ID, "行政区划代码", "auth.forbidden", ""},
			{"mzt.head", e.dept("浙江省公安厅").ID, "行政区划代码", "exchange.subscriber_not_lower", "subscriber_id"},
			{"mzt.head", e.dept("国家数据局").ID, "行政区划代码", "exchange.subscriber_not_lower", "subscriber_id"},
			{"mzt.head", xh.ID, "户籍地", "exchange.item_unknown", "division_item"},
			{"mzt.head", xh.ID, "行政区划代码", "exchange.subscription_exists", ""},
		} {
			_, err := e.app.Exchange.Subscribe(e.ctx, e.as(c.who), exchange.NewSubscription{Kind: exchange.ReturnFlow, EntryID: e.p.Entries[relief],
				SubscriberID: c.subscriber, DivisionItem: c.item})
			if code(err) != c.code || field(err) != c.field {
				t.Errorf("%s ordering for %s by %s: %v, want %s", c.who, c.subscriber, c.item, err, c.code)
			}
		}

		keys := []string{"居民身份证号码"}
		inXihu := map[string]bool{"330106": true, "330106001": true, "330106001002": true}
		inGongshu := map[string]bool{"330105": true}
		inHangzhou := map[string]bool{"330106": true, "330106001": true, "330106001002": true, "330105": true, "330100": true}
		div := func(set map[string]bool) func(map[string]json.RawMessage) bool {
			return func(m map[string]json.RawMessage) bool {
				var d string
				_ = json.Unmarshal(m["行政区划代码"], &d)
				return set[d]
			}
		}
		items := []string{"居民身份证号码", "姓名", "行政区划代码", "救助金额"}
		type puller struct {
			sub    exchange.Subscription
			caller string
			rep    *replica
			cursor string
			set    map[string]bool
		}
		pullers := []*puller{{xhSub, "西湖区民政局", newReplica(keys...), "", inXihu}, {gsSub, "拱墅区民政局", newReplica(keys...), "", inGongshu},
			{hzSub, "杭州市民政局", newReplica(keys...), "", inHangzhou}}
		drain := func(p *puller) []record {
			t.Helper()
			var all []record
			for more := true; more; {
				pg, err := e.app.Exchange.PullReturnFlow(e.ctx, e.caller(p.caller), exchange.ReturnFlowPullRequest{SubscriptionID: p.sub.ID, Cursor: p.cursor, Limit: 7})
				if err != nil {
					t.Fatal(err)
				}
				b := decode(t, pg)
				for _, r := range p.rep.apply(t, b) {
					if r.Op == "upsert" {
						var d string
						_ = json.Unmarshal(r.Row["行政区划代码"], &d)
						if !p.set[d] {
							t.Errorf("%s received a row of %s", p.caller, d)
						}
					}
					all = append(all, r)
				}
				p.cursor, more = b.NextCursor, b.More
			}
			return all
		}
		for _, p := range pullers {
			drain(p)
			same(t, p.caller+" snapshot", p.rep.rows, e.provider(relief, items, keys, div(p.set)))
		}
		if len(pullers[0].rep.rows) != 60 || len(pullers[1].rep.rows) != 20 || len(pullers[2].rep.rows) != 100 {
			t.Fatalf("西湖区 has %d rows, 拱墅区 %d, 杭州市 %d; want 60, 20 and 100", len(pullers[0].rep.rows), len(pullers[1].rep.rows), len(pullers[2].rep.rows))
		}

		// Row 0 (西湖区) moves to 海曙区, row 4 (海曙区) moves to 拱墅区,
		// row 3 (拱墅区) is deleted, row 1 (北山街道) is updated in place,
		// row 5 (杭州市) changes but stays outside both counties.
		updated := person(1, "330106001")
		updated["救助金额"] = raw(json.Number("999"))
		e.load("mzt.head", relief, []dataset.Row{person(0, "330203"), person(4, "330105"), updated, person(5, "330000")})
		e.remove("mzt.head", relief, []dataset.Row{{"居民身份证号码": person(3, "")["居民身份证号码"]}})
		xhRecs, gsRecs, hzRecs := drain(pullers[0]), drain(pullers[1]), drain(pullers[2])
		if len(xhRecs) != 2 || xhRecs[0].Op != "delete" || xhRecs[1].Op != "upsert" {
			t.Errorf("西湖区 got %+v, want the delete of row 0 and the update of row 1", xhRecs)
		}
		if len(gsRecs) != 2 || gsRecs[0].Op != "upsert" || gsRecs[1].Op != "delete" {
			t.Errorf("拱墅区 got %+v, want row 4 arriving and row 3 deleted", gsRecs)
		}
		if len(hzRecs) != 5 {
			t.Errorf("杭州市 got %+v, want 2 rows leaving, 1 arriving, 1 updated, 1 deleted", hzRecs)
		}
		for _, p := range pullers {
			same(t, p.caller+" after changes", p.rep.rows, e.provider(relief, items, keys, div(p.set)))
		}

		// Only the subscriber's systems pull; a cancelled flow delivers nothing.
		if _, err := e.app.Exchange.PullReturnFlow(e.ctx, e.caller("拱墅区民政局"), exchange.ReturnFlowPullRequest{SubscriptionID: xhSub.ID}); code(err) != "exchange.not_subscriber" {
			t.Errorf("another county's system: %v", err)
		}
		if _, err := e.app.Exchange.PullReturnFlow(e.ctx, e.caller("西湖区民政局"), exchange.ReturnFlowPullRequest{SubscriptionID: xhSub.ID, Cursor: pullers[1].cursor}); code(err) != "exchange.cursor_foreign" {
			t.Errorf("another flow's cursor: %v", err)
		}
		if _, err := e.app.Exchange.Cancel(e.ctx, e.as("xhmz.head"), xhSub.ID, exchange.CancelInput{Version: xhSub.Version, Reason: "不再需要"}); err != nil {
			t.Fatal(err)
		}
		if _, err := e.app.Exchange.PullReturnFlow(e.ctx, e.caller("西湖区民政局"), exchange.ReturnFlowPullRequest{SubscriptionID: xhSub.ID}); code(err) != "exchange.subscription_not_active" {
			t.Errorf("cancelled flow: %v", err)
		}
		got, err := e.app.Exchange.Get(e.ctx, mzt, gsSub.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Progress.DeliveredRows != 22 || got.Progress.LastDeliveryAt == nil {
			t.Errorf("拱墅区 progress %+v, want 22 rows delivered", got.Progress)
		}
	})
}
