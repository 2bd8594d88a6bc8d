package correction_test

import (
	"testing"

	"github.com/govshare/govshare/internal/correction"
	"github.com/govshare/govshare/internal/problem/problemtest"
	"github.com/govshare/govshare/internal/store"
	"github.com/govshare/govshare/internal/storetest"
)

// The consumer's office records the usage status with a note; each change
// is kept, newest first; the provider and the authorities above either
// party read it, nobody else finds the grant; only the consumer writes; a
// write at a stale version loses; a doubt needs its note.
func TestUsageStatusHistory(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		g := e.grant.ID
		h, err := e.svc.Statuses(e.ctx, e.actor("scjg.staff"), g)
		if err != nil || h.Current != nil || len(h.History) != 0 {
			t.Fatalf("before any status: %+v %v", h, err)
		}
		first, err := e.svc.SetStatus(e.ctx, e.actor("hzscjg.head"), g, correction.StatusInput{Status: correction.InUse, Version: 0})
		if err != nil || first.Version != 1 {
			t.Fatalf("first status: %+v %v", first, err)
		}
		_, err = e.svc.SetStatus(e.ctx, e.actor("hzscjg.head"), g, correction.StatusInput{Status: correction.Doubtful, Version: 1})
		problemtest.Want(t, err, "correction.required", "note")
		_, err = e.svc.SetStatus(e.ctx, e.actor("hzscjg.head"), g, correction.StatusInput{Status: "broken", Note: "x", Version: 1})
		problemtest.Want(t, err, "correction.status_invalid", "status")
		second, err := e.svc.SetStatus(e.ctx, e.actor("hzscjg.head"), g, correction.StatusInput{Status: correction.Doubtful, Note: "部分企业法定代表人与窗口材料不一致", Version: 1})
		if err != nil || second.Version != 2 {
			t.Fatalf("second status: %+v %v", second, err)
		}
		_, err = e.svc.SetStatus(e.ctx, e.actor("hzscjg.head"), g, correction.StatusInput{Status: correction.InUse, Version: 1})
		problemtest.Want(t, err, "conflict.version")
		events := e.eventCount()
		for who, code := range map[string]string{"scjg.head": "auth.forbidden", "zj.reviewer": "auth.forbidden", "audit": "auth.forbidden",
			"gat.head": "grant.not_found", "nb.reviewer": "grant.not_found", "admin": "grant.not_found", "ops": "grant.not_found"} {
			_, err := e.svc.SetStatus(e.ctx, e.actor(who), g, correction.StatusInput{Status: correction.NotInUse, Note: "停用", Version: 2})
			problemtest.Want(t, err, code)
			if _, err := e.svc.Statuses(e.ctx, e.actor(who), g); code == "grant.not_found" {
				problemtest.Want(t, err, code)
			} else if err != nil {
				t.Errorf("%s reads the status: %v", who, err)
			}
		}
		if e.eventCount() != events {
			t.Fatal("refused statuses wrote events")
		}
		h, err = e.svc.Statuses(e.ctx, e.actor("scjg.staff"), g)
		if err != nil || h.Current == nil || h.Current.Status != correction.Doubtful || len(h.History) != 2 || h.History[1].Status != correction.InUse {
			t.Fatalf("history: %+v %v", h, err)
		}
		evs := e.events("grant", g, correction.ActionStatus)
		if len(evs) != 2 || evs[0].ObjectDepartmentID != e.grant.ProviderID || evs[0].DepartmentID != e.grant.ConsumerID {
			t.Fatalf("status events: %+v", evs)
		}
	})
}

// A department's office head states its rules and channel in versions;
// every office, authority and auditor reads them, the contractor does not;
// staff and other departments' heads may not write them; bad fields are
// named; a stale version loses.
func TestRulesVersions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		scjg := e.grant.ProviderID
		in := correction.RulesInput{Rules: "收到校核申请后由信息中心会同登记业务处室核实登记档案，10个工作日内反馈。", Contact: "信息中心数据管理科",
			Phone: "0571-8888 0000", URL: "https://scjg.example.gov.cn/jiucuo"}
		for who, code := range map[string]string{"scjg.staff": "auth.forbidden", "gat.head": "auth.forbidden", "zj.reviewer": "auth.forbidden", "ops": "auth.forbidden", "admin": "auth.forbidden"} {
			_, err := e.svc.SetRules(e.ctx, e.actor(who), scjg, in)
			problemtest.Want(t, err, code)
		}
		bad := in
		bad.URL = "javascript:alert(1)"
		_, err := e.svc.SetRules(e.ctx, e.actor("scjg.head"), scjg, bad)
		problemtest.Want(t, err, "correction.url_invalid", "url")
		bad = in
		bad.Phone = "call me"
		_, err = e.svc.SetRules(e.ctx, e.actor("scjg.head"), scjg, bad)
		problemtest.Want(t, err, "correction.phone_invalid", "phone")
		bad = in
		bad.Rules = ""
		_, err = e.svc.SetRules(e.ctx, e.actor("scjg.head"), scjg, bad)
		problemtest.Want(t, err, "correction.required", "rules")
		_, err = e.svc.SetRules(e.ctx, e.actor("scjg.head"), "nope", in)
		problemtest.Want(t, err, "org.department_not_found")

		before, err := e.svc.RulesOf(e.ctx, e.actor("scjg.head"), scjg)
		if err != nil {
			t.Fatal(err)
		}
		var v int64
		if len(before) > 0 {
			v = before[0].Version
		}
		in.Version = v
		r1, err := e.svc.SetRules(e.ctx, e.actor("scjg.head"), scjg, in)
		if err != nil || r1.Version != v+1 {
			t.Fatalf("rules: %+v %v", r1, err)
		}
		_, err = e.svc.SetRules(e.ctx, e.actor("scjg.head"), scjg, in)
		problemtest.Want(t, err, "conflict.version")
		in.Version, in.Phone = r1.Version, "0571-8888 0001"
		r2, err := e.svc.SetRules(e.ctx, e.actor("scjg.head"), scjg, in)
		if err != nil || r2.Version != v+2 {
			t.Fatalf("rules v2: %+v %v", r2, err)
		}
		for _, who := range []string{"hzscjg.head", "gat.staff", "nb.reviewer", "audit", "admin"} {
			rs, err := e.svc.RulesOf(e.ctx, e.actor(who), scjg)
			if err != nil || len(rs) != len(before)+2 || rs[0].Phone != "0571-8888 0001" || rs[1].Phone != "0571-8888 0000" {
				t.Errorf("%s reads %+v: %v", who, rs, err)
			}
			all, err := e.svc.AllRules(e.ctx, e.actor(who), "", 500)
			found := false
			for _, r := range all {
				if r.DepartmentID == scjg {
					found = r.Version == r2.Version
				}
			}
			if err != nil || !found {
				t.Errorf("%s lists current rules without scjg's newest: %v", who, err)
			}
		}
		_, err = e.svc.RulesOf(e.ctx, e.actor("ops"), scjg)
		problemtest.Want(t, err, "auth.forbidden")
		if evs := e.events("correction_rules", scjg, correction.ActionRules); len(evs) != len(before)+2 {
			t.Fatalf("%d rules events", len(evs))
		}
	})
}
