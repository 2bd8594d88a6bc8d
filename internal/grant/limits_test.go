package grant_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/govshare/govshare/internal/application"
	"github.com/govshare/govshare/internal/grant"
	"github.com/govshare/govshare/internal/problem"
	"github.com/govshare/govshare/internal/store"
	"github.com/govshare/govshare/internal/storetest"
)

// TestReplyTerms: an approving reply sets the grant's clear items and
// limits, checked field by field; a bad one changes nothing; a refusal
// ignores them; no limits give the defaults.
func TestReplyTerms(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		head := e.actor("gat.head")
		a := e.sent(e.app.Applications)
		for _, c := range []struct {
			in          application.ReplyRequest
			code, field string
		}{
			{application.ReplyRequest{ClearItems: []string{"姓名", "户籍地址"}}, "grant.clear_item_not_granted", "clear_items[1]"},
			{application.ReplyRequest{Limits: &grant.Limits{PerSecond: -1}}, "grant.limit_invalid", "limits.per_second"},
			{application.ReplyRequest{Limits: &grant.Limits{PerSecond: grant.MaxPerSecond + 1}}, "grant.limit_invalid", "limits.per_second"},
			{application.ReplyRequest{Limits: &grant.Limits{PerDay: grant.MaxPerDay + 1}}, "grant.limit_invalid", "limits.per_day"},
		} {
			c.in.Decision, c.in.Version = application.Approve, a.Version
			_, err := e.app.Applications.Reply(e.ctx, head, a.ID, c.in)
			var p *problem.Error
			if !problem.Is(err, problem.Invalid) || problem.CodeOf(err) != c.code || !errors.As(err, &p) || p.Field != c.field {
				t.Errorf("%+v: %v, want %s at %s", c.in, err, c.code, c.field)
			}
		}
		if got, _ := e.app.Applications.Get(e.ctx, head, a.ID); got.Version != a.Version || got.Reply != nil {
			t.Fatalf("refused replies changed the application: version %d, reply %+v", got.Version, got.Reply)
		}

		a, err := e.app.Applications.Reply(e.ctx, head, a.ID, application.ReplyRequest{Decision: application.Approve, Version: a.Version,
			ClearItems: []string{"公民身份号码", "公民身份号码"}, Limits: &grant.Limits{PerDay: 500}})
		if err != nil {
			t.Fatal(err)
		}
		g, err := e.app.Grants.Get(e.ctx, head, a.Reply.Grant.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(g.ClearItems, []string{"公民身份号码"}) || g.Limits != (grant.Limits{PerSecond: grant.DefaultPerSecond, PerDay: 500}) {
			t.Fatalf("grant terms: clear %v, limits %+v", g.ClearItems, g.Limits)
		}

		// A refusal ignores the terms of an approval.
		r := e.sent(e.app.Applications)
		if _, err := e.app.Applications.Reply(e.ctx, head, r.ID, application.ReplyRequest{Decision: application.Refuse, Version: r.Version,
			Reasons: []string{"超出职责"}, ReasonCategory: "beyond_duties", ClearItems: []string{"户籍地址"}, Limits: &grant.Limits{PerSecond: -5}}); err != nil {
			t.Fatalf("refusal with approval terms: %v", err)
		}
	})
}

func TestLimitsEffective(t *testing.T) {
	if got := (grant.Limits{}).Effective(); got != (grant.Limits{PerSecond: grant.DefaultPerSecond, PerDay: grant.DefaultPerDay}) {
		t.Fatalf("a grant stored without limits: %+v", got)
	}
	if got := (grant.Limits{PerSecond: 7, PerDay: 9}).Effective(); got != (grant.Limits{PerSecond: 7, PerDay: 9}) {
		t.Fatalf("set limits changed: %+v", got)
	}
}
