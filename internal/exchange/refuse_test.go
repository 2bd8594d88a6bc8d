package exchange_test

import (
	"testing"

	"github.com/govshare/govshare/internal/application"
	"github.com/govshare/govshare/internal/dataset"
	"github.com/govshare/govshare/internal/exchange"
	"github.com/govshare/govshare/internal/grant"
	"github.com/govshare/govshare/internal/problem"
	"github.com/govshare/govshare/internal/store"
	"github.com/govshare/govshare/internal/storetest"
)

// TestPullRefusals: a giant page, a tampered or foreign cursor, a system of
// another department, another purpose, an item outside the grant, a grant
// of another delivery method and a suspended grant are each refused with a
// clear error naming the field where there is one, deliver nothing, and are
// recorded like a success.
func TestPullRefusals(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		g := e.grantFor("gat", companies, granted, application.BatchExchange)
		other := e.grantFor("xhmz", companies, granted, application.BatchExchange)
		si := e.grantFor("hzga", companies, granted, application.ServiceInterface)
		var rows []dataset.Row
		for n := range 30 {
			rows = append(rows, company(n, 0))
		}
		e.replace("scjg.staff", companies, rows)
		gat, rst := e.caller("浙江省公安厅"), e.caller("西湖区民政局")

		first, err := e.app.Exchange.Pull(e.ctx, gat, exchange.PullRequest{GrantID: g.ID, Purpose: scenario, Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		foreign, err := e.app.Exchange.Pull(e.ctx, rst, exchange.PullRequest{GrantID: other.ID, Purpose: scenario, Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		tampered := []byte(first.NextCursor)
		tampered[len(tampered)/2] ^= 1

		before := len(e.events(exchange.ActionPull, ""))
		cases := []struct {
			name        string
			c           func() error
			code, field string
			kind        problem.Kind
		}{
			{"giant page", func() error {
				_, err := e.app.Exchange.Pull(e.ctx, gat, exchange.PullRequest{GrantID: g.ID, Purpose: scenario, Limit: exchange.MaxLimit + 1})
				return err
			}, "exchange.limit_invalid", "limit", problem.Invalid},
			{"negative page", func() error {
				_, err := e.app.Exchange.Pull(e.ctx, gat, exchange.PullRequest{GrantID: g.ID, Purpose: scenario, Limit: -1})
				return err
			}, "exchange.limit_invalid", "limit", problem.Invalid},
			{"tampered cursor", func() error {
				_, err := e.app.Exchange.Pull(e.ctx, gat, exchange.PullRequest{GrantID: g.ID, Purpose: scenario, Cursor: string(tampered)})
				return err
			}, "exchange.cursor_invalid", "cursor", problem.Invalid},
			{"garbage cursor", func() error {
				_, err := e.app.Exchange.Pull(e.ctx, gat, exchange.PullRequest{GrantID: g.ID, Purpose: scenario, Cursor: "'; DROP TABLE grants; --"})
				return err
			}, "exchange.cursor_invalid", "cursor", problem.Invalid},
			{"another grant's cursor", func() error {
				_, err := e.app.Exchange.Pull(e.ctx, gat, exchange.PullRequest{GrantID: g.ID, Purpose: scenario, Cursor: foreign.NextCursor})
				return err
			}, "exchange.cursor_foreign", "cursor", problem.Invalid},
			{"a cursor ahead of the change feed", func() error {
				_, err := e.app.Exchange.Pull(e.ctx, gat, exchange.PullRequest{GrantID: g.ID, Purpose: scenario, Cursor: exchange.ForgeCursor(g.ID, true, 1000000, 1000001)})
				return err
			}, "exchange.cursor_invalid", "cursor", problem.Invalid},
			{"another department's system", func() error {
				_, err := e.app.Exchange.Pull(e.ctx, rst, exchange.PullRequest{GrantID: g.ID, Purpose: scenario})
				return err
			}, "gateway.not_consumer", "", problem.Forbidden},
			{"another purpose", func() error {
				_, err := e.app.Exchange.Pull(e.ctx, gat, exchange.PullRequest{GrantID: g.ID, Purpose: "刑事侦查"})
				return err
			}, "grant.purpose_mismatch", "purpose", problem.Forbidden},
			{"an item outside the grant", func() error {
				_, err := e.app.Exchange.Pull(e.ctx, gat, exchange.PullRequest{GrantID: g.ID, Purpose: scenario, Items: []string{"统一社会信用代码", "企业名称", "注册资本"}})
				return err
			}, "grant.item_not_granted", "items[2]", problem.Forbidden},
			{"items without the key", func() error {
				_, err := e.app.Exchange.Pull(e.ctx, gat, exchange.PullRequest{GrantID: g.ID, Purpose: scenario, Items: []string{"企业名称", "法定代表人"}})
				return err
			}, "exchange.key_item_required", "items", problem.Invalid},
			{"a service-interface grant", func() error {
				_, err := e.app.Exchange.Pull(e.ctx, e.caller("杭州市公安局"), exchange.PullRequest{GrantID: si.ID, Purpose: scenario})
				return err
			}, "exchange.method_not_granted", "", problem.Forbidden},
			{"no such grant", func() error {
				_, err := e.app.Exchange.Pull(e.ctx, gat, exchange.PullRequest{GrantID: "nope", Purpose: scenario})
				return err
			}, "grant.not_found", "", problem.NotFound},
		}
		for _, c := range cases {
			err := c.c()
			var p *problem.Error
			if pe, ok := err.(*problem.Error); ok {
				p = pe
			}
			if p == nil || p.Code != c.code || p.Field != c.field || p.Kind != c.kind {
				t.Errorf("%s: %v, want %s (field %q, kind %d)", c.name, err, c.code, c.field, c.kind)
			}
		}
		if n := len(e.events(exchange.ActionPull, "")) - before; n != len(cases) {
			t.Errorf("%d refusals recorded, want %d", n, len(cases))
		}
		for _, d := range e.deliveries(g.ID)[1:] {
			if d.Outcome == "ok" || d.Rows != 0 {
				t.Errorf("a refused pull logged %+v", d)
			}
		}

		// A suspended grant delivers nothing, even from a good cursor.
		head := e.as("scjg.head")
		cur, err := e.app.Grants.Get(e.ctx, head, g.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.app.Grants.Suspend(e.ctx, head, g.ID, grant.SuspendInput{Grounds: grant.OtherGrounds, Reasons: []string{"超范围使用核查"}, Evidence: "核查记录", RectifyDays: 10, Version: cur.Version}); err != nil {
			t.Fatal(err)
		}
		if _, err := e.app.Exchange.Pull(e.ctx, gat, exchange.PullRequest{GrantID: g.ID, Purpose: scenario, Cursor: first.NextCursor}); code(err) != "grant.suspended" {
			t.Errorf("suspended grant: %v", err)
		}
	})
}
