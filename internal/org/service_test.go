package org_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/app"
	"github.com/govshare/govshare/internal/auth"
	"github.com/govshare/govshare/internal/demo"
	"github.com/govshare/govshare/internal/ledger"
	"github.com/govshare/govshare/internal/org"
	"github.com/govshare/govshare/internal/problem"
	"github.com/govshare/govshare/internal/store"
	"github.com/govshare/govshare/internal/storetest"
)

// testClock is a clock the test moves by hand.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *testClock) Advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// env is the demo province on one engine.
type env struct {
	s     *store.Store
	app   *app.App
	clock *testClock
	p     *demo.Province
	admin access.Actor
}

func newEnv(t *testing.T, s *store.Store) *env {
	t.Helper()
	clock := &testClock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	a := app.New(s, clock.Now, auth.DefaultPolicy)
	p, err := demo.Load(context.Background(), a)
	if err != nil {
		t.Fatal(err)
	}
	e := &env{s: s, app: a, clock: clock, p: p}
	e.admin = e.actor(t, "admin")
	return e
}

// actor loads the actor of a demo account the way a verified session does.
func (e *env) actor(t *testing.T, username string) access.Actor {
	t.Helper()
	return e.actorByID(t, e.p.Account(username).ID)
}

func (e *env) actorByID(t *testing.T, id string) access.Actor {
	t.Helper()
	var a *access.Actor
	err := e.s.Read(context.Background(), func(tx *store.Tx) (err error) { a, err = tx.Actor(context.Background(), id); return err })
	if err != nil || a == nil {
		t.Fatalf("actor %s: %v %v", id, a, err)
	}
	return *a
}

func (e *env) dept(name string) org.Department {
	d, ok := e.p.Departments[name]
	if !ok {
		panic("no demo department " + name)
	}
	return d
}

// counts is what a refused command must leave unchanged.
type counts struct{ events, divisions, departments, people int }

func (e *env) counts(t *testing.T) counts {
	t.Helper()
	ctx := context.Background()
	var c counts
	err := e.s.Read(ctx, func(tx *store.Tx) error {
		n, err := tx.EventCount(ctx)
		if err != nil {
			return err
		}
		c.events = int(n)
		divs, err := tx.ListDivisions(ctx, org.DivisionFilter{Page: org.Page{Limit: 500}})
		if err != nil {
			return err
		}
		deps, err := tx.ListDepartments(ctx, org.DepartmentFilter{Page: org.Page{Limit: 500}})
		if err != nil {
			return err
		}
		people, err := tx.ListPeople(ctx, org.PersonFilter{Page: org.Page{Limit: 500}, Scope: org.PeopleScope{All: true}})
		if err != nil {
			return err
		}
		c.divisions, c.departments, c.people = len(divs), len(deps), len(people)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func (e *env) lastSeq(t *testing.T) int64 {
	t.Helper()
	var n int64
	err := e.s.Read(context.Background(), func(tx *store.Tx) (err error) { n, err = tx.EventCount(context.Background()); return err })
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func (e *env) eventsAfter(t *testing.T, seq int64) []ledger.Event {
	t.Helper()
	evs, err := e.app.Ledger.Events(context.Background(), e.admin, ledger.Filter{After: seq, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	return evs
}

// wantOneEvent checks that exactly one event was appended after seq, by the
// actor for its department, with the action, object and digest of obj.
func (e *env) wantOneEvent(t *testing.T, after int64, a access.Actor, action, objectType, objectID string, obj any) {
	t.Helper()
	evs := e.eventsAfter(t, after)
	if len(evs) != 1 {
		t.Fatalf("%d events appended, want exactly 1: %+v", len(evs), evs)
	}
	ev := evs[0]
	digest, err := ledger.Digest(obj)
	if err != nil {
		t.Fatal(err)
	}
	if ev.Seq != after+1 || ev.Action != action || ev.ObjectType != objectType || ev.ObjectID != objectID ||
		ev.ActorID != a.PersonID || ev.DepartmentID != a.DepartmentID || ev.Digest != digest {
		t.Fatalf("event = %+v\nwant seq %d action %s %s/%s actor %s dept %q digest %s",
			ev, after+1, action, objectType, objectID, a.PersonID, a.DepartmentID, digest)
	}
	if !ev.At.Equal(e.clock.Now()) {
		t.Fatalf("event at %v, want the clock's %v", ev.At, e.clock.Now())
	}
}

// refused runs a command that must be refused with code and change nothing.
func (e *env) refused(t *testing.T, code string, kind problem.Kind, cmd func() error) {
	t.Helper()
	before := e.counts(t)
	err := cmd()
	var p *problem.Error
	if !errors.As(err, &p) || p.Code != code || p.Kind != kind {
		t.Fatalf("error = %v, want %s (kind %d)", err, code, kind)
	}
	if after := e.counts(t); after != before {
		t.Fatalf("a refused command changed the database: before %+v after %+v", before, after)
	}
}

func TestOrgService(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		// Listing first, while the people are exactly the demo's.
		t.Run("people listing by role", e.testPeopleListing)
		t.Run("reading a person", e.testReadPerson)
		t.Run("create division", e.testCreateDivision)
		t.Run("create department", e.testCreateDepartment)
		t.Run("create person", e.testCreatePerson)
		t.Run("update person", e.testUpdatePerson)
		t.Run("update office", e.testUpdateOffice)
		t.Run("concurrent office updates", e.testConcurrentOfficeUpdates)
		t.Run("same-level authority", e.testSameLevelAuthority)
		t.Run("common authority", e.testCommonAuthority)
	})
}

func (e *env) testPeopleListing(t *testing.T) {
	all := []string{}
	for _, a := range e.p.Accounts {
		all = append(all, a.Username)
	}
	withDept := []string{}
	for _, a := range e.p.Accounts {
		if a.Department != "" {
			withDept = append(withDept, a.Username)
		}
	}
	cases := []struct {
		reader string
		filter string // department name for PersonFilter.DepartmentID
		want   []string
	}{
		{"admin", "", all},
		{"zj.reviewer", "", withDept},
		{"audit", "", withDept},
		{"hz.reviewer", "", []string{"hz.reviewer", "hzga.head", "hzga.staff", "hzmz.head", "hzscjg.head", "xhmz.head", "xhmz.staff"}},
		{"nb.reviewer", "", []string{"hsmz.head", "nb.reviewer", "nbga.head", "nbwj.head"}},
		{"gat.head", "", []string{"gat.head", "gat.staff"}},
		{"gat.staff", "", []string{"gat.head", "gat.staff"}},
		{"xhmz.staff", "", []string{"xhmz.head", "xhmz.staff"}},
		{"ops", "", []string{"ops"}},
		// A filter narrows the scope, never widens it.
		{"gat.staff", "杭州市公安局", []string{}},
		{"hz.reviewer", "宁波市卫生健康委员会", []string{}},
		{"hz.reviewer", "西湖区民政局", []string{"xhmz.head", "xhmz.staff"}},
		{"admin", "浙江省公安厅", []string{"gat.head", "gat.staff"}},
	}
	for _, c := range cases {
		t.Run(c.reader+"/"+c.filter, func(t *testing.T) {
			f := org.PersonFilter{Page: org.Page{Limit: 500}}
			if c.filter != "" {
				f.DepartmentID = e.dept(c.filter).ID
			}
			// A caller-supplied scope must be ignored.
			f.Scope = org.PeopleScope{All: true}
			people, err := e.app.Org.People(context.Background(), e.actor(t, c.reader), f)
			if err != nil {
				t.Fatal(err)
			}
			got := []string{}
			for _, p := range people {
				got = append(got, p.Username)
			}
			slices.Sort(got)
			want := slices.Clone(c.want)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Fatalf("%s sees %v, want %v", c.reader, got, want)
			}
		})
	}
}

func (e *env) testReadPerson(t *testing.T) {
	cases := []struct {
		reader, target string
		ok             bool
	}{
		{"admin", "xhmz.staff", true},
		{"hz.reviewer", "xhmz.staff", true},  // 西湖区 lies in 杭州市
		{"hz.reviewer", "nbwj.head", false},  // 宁波 does not
		{"nb.reviewer", "xhmz.staff", false}, // nor does 西湖区 lie in 宁波
		{"zj.reviewer", "nbwj.head", true},
		{"audit", "xhmz.staff", true},
		{"audit", "admin", false}, // no department, so in no region
		{"hzga.staff", "hzga.head", true},
		{"hzga.staff", "gat.staff", false},
		{"hzga.head", "hzmz.head", false},
		{"ops", "ops", true},
		{"ops", "admin", false},
		{"ops", "gat.staff", false},
		{"xhmz.staff", "xhmz.staff", true},
	}
	for _, c := range cases {
		t.Run(c.reader+"->"+c.target, func(t *testing.T) {
			id := e.p.Account(c.target).ID
			p, err := e.app.Org.Person(context.Background(), e.actor(t, c.reader), id)
			if c.ok {
				if err != nil || p.ID != id || p.Username != c.target {
					t.Fatalf("read = %+v, %v; want %s", p, err, c.target)
				}
				return
			}
			if problem.CodeOf(err) != "auth.forbidden" || p.ID != "" {
				t.Fatalf("read = %+v, %v; want auth.forbidden and nothing", p, err)
			}
		})
	}
	t.Run("unknown person", func(t *testing.T) {
		_, err := e.app.Org.Person(context.Background(), e.admin, "no-such-id")
		if problem.CodeOf(err) != "org.person_not_found" || !problem.Is(err, problem.NotFound) {
			t.Fatalf("err = %v, want org.person_not_found", err)
		}
	})
}

func (e *env) testCreateDivision(t *testing.T) {
	ctx := context.Background()
	t.Run("ok", func(t *testing.T) {
		before := e.counts(t)
		seq := e.lastSeq(t)
		d, err := e.app.Org.CreateDivision(ctx, e.admin, org.Division{Code: "330108", Name: " 滨江区 ", Level: org.County, ParentCode: "330100"})
		if err != nil {
			t.Fatal(err)
		}
		if d.Name != "滨江区" || !d.CreatedAt.Equal(e.clock.Now()) {
			t.Fatalf("created %+v", d)
		}
		got, err := e.app.Org.Division(ctx, e.actor(t, "xhmz.staff"), "330108")
		if err != nil || got.Name != "滨江区" || got.Level != org.County || got.ParentCode != "330100" || !got.CreatedAt.Equal(d.CreatedAt) {
			t.Fatalf("read back %+v, %v", got, err)
		}
		if after := e.counts(t); after.divisions != before.divisions+1 {
			t.Fatalf("divisions %d -> %d", before.divisions, after.divisions)
		}
		e.wantOneEvent(t, seq, e.admin, "division.create", "division", "330108", d)
	})
	cases := []struct {
		name  string
		a     access.Actor
		d     org.Division
		code  string
		kind  problem.Kind
		field string
	}{
		{"duplicate", e.admin, org.Division{Code: "330106", Name: "西湖区", Level: org.County, ParentCode: "330100"}, "org.division_exists", problem.Conflict, "code"},
		{"duplicate national", e.admin, org.Division{Code: org.NationalCode, Name: "全国", Level: org.National}, "org.division_exists", problem.Conflict, "code"},
		{"malformed code", e.admin, org.Division{Code: "33010X", Name: "x", Level: org.County, ParentCode: "330100"}, "org.division_code_invalid", problem.Invalid, "code"},
		{"level mismatch", e.admin, org.Division{Code: "330109", Name: "x", Level: org.Municipal, ParentCode: "330100"}, "org.level_mismatch", problem.Invalid, "level"},
		{"parent not in tree", e.admin, org.Division{Code: "330302", Name: "鹿城区", Level: org.County, ParentCode: "330300"}, "org.parent_unknown", problem.Invalid, "parent_code"},
		{"parent does not enclose", e.admin, org.Division{Code: "330110", Name: "余杭区", Level: org.County, ParentCode: "330200"}, "org.parent_invalid", problem.Invalid, "parent_code"},
		{"office head", e.actor(t, "gat.head"), org.Division{Code: "330109", Name: "萧山区", Level: org.County, ParentCode: "330100"}, "auth.forbidden", problem.Forbidden, ""},
		{"reviewer", e.actor(t, "zj.reviewer"), org.Division{Code: "330109", Name: "萧山区", Level: org.County, ParentCode: "330100"}, "auth.forbidden", problem.Forbidden, ""},
		{"contractor", e.actor(t, "ops"), org.Division{Code: "330109", Name: "萧山区", Level: org.County, ParentCode: "330100"}, "auth.forbidden", problem.Forbidden, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e.refused(t, c.code, c.kind, func() error {
				_, err := e.app.Org.CreateDivision(ctx, c.a, c.d)
				var p *problem.Error
				if errors.As(err, &p) && p.Field != c.field {
					t.Errorf("field = %q, want %q", p.Field, c.field)
				}
				return err
			})
		})
	}
}

// creditCode completes a 17-character prefix with its GB 32100 check character.
func creditCode(prefix string) string {
	const alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
	sum, w := 0, 1
	for i := 0; i < 17; i++ {
		sum += strings.IndexByte(alphabet, prefix[i]) * w
		w = w * 3 % 31
	}
	return prefix + string(alphabet[(31-sum%31)%31])
}

func (e *env) testCreateDepartment(t *testing.T) {
	ctx := context.Background()
	credit := creditCode("11330106002500001")
	t.Run("ok", func(t *testing.T) {
		if !org.ValidCreditCode(credit) {
			t.Fatalf("test credit code %s is invalid", credit)
		}
		before := e.counts(t)
		seq := e.lastSeq(t)
		d, err := e.app.Org.CreateDepartment(ctx, e.admin, org.Department{Name: "西湖区卫生健康局", DivisionCode: "330106",
			Kind: org.KindDepartment, CreditCode: credit, OfficeName: " 信息科 "})
		if err != nil {
			t.Fatal(err)
		}
		if d.ID == "" || d.Version != 1 || d.OfficeName != "信息科" {
			t.Fatalf("created %+v", d)
		}
		got, err := e.app.Org.Department(ctx, e.actor(t, "ops"), d.ID)
		if err != nil || got.Name != d.Name || got.CreditCode != credit || got.Version != 1 || got.Kind != org.KindDepartment {
			t.Fatalf("read back %+v, %v", got, err)
		}
		if after := e.counts(t); after.departments != before.departments+1 {
			t.Fatalf("departments %d -> %d", before.departments, after.departments)
		}
		e.wantOneEvent(t, seq, e.admin, "department.create", "department", d.ID, d)
	})
	dep := func(name, div string, kind org.Kind) org.Department {
		return org.Department{Name: name, DivisionCode: div, Kind: kind, OfficeName: "办公室"}
	}
	withCredit := dep("西湖区教育局", "330106", org.KindDepartment)
	withCredit.CreditCode = credit
	withHead := dep("西湖区文旅局", "330106", org.KindDepartment)
	withHead.OfficeHeadID = e.p.Account("xhmz.staff").ID
	badCredit := dep("西湖区教育局", "330106", org.KindDepartment)
	badCredit.CreditCode = credit[:17] + "0"
	if credit[17] == '0' {
		badCredit.CreditCode = credit[:17] + "1"
	}
	cases := []struct {
		name string
		a    access.Actor
		d    org.Department
		code string
		kind problem.Kind
	}{
		{"second authority in a county", e.admin, dep("西湖区大数据中心", "330106", org.KindAuthority), "org.authority_exists", problem.Conflict},
		{"second authority in a province", e.admin, dep("浙江省大数据中心", "330000", org.KindAuthority), "org.authority_exists", problem.Conflict},
		{"authority in a township", e.admin, dep("北山街道数据办", "330106001", org.KindAuthority), "org.authority_level", problem.Invalid},
		{"same name in the division", e.admin, dep("西湖区民政局", "330106", org.KindDepartment), "org.department_exists", problem.Conflict},
		{"credit code taken", e.admin, withCredit, "org.credit_code_taken", problem.Conflict},
		{"credit code checksum", e.admin, badCredit, "org.credit_code_invalid", problem.Invalid},
		{"unknown division", e.admin, dep("温州市民政局", "330300", org.KindDepartment), "org.division_unknown", problem.Invalid},
		{"office head named at creation", e.admin, withHead, "org.office_head_later", problem.Invalid},
		{"unknown kind", e.admin, dep("西湖区某公司", "330106", "company"), "org.kind_invalid", problem.Invalid},
		{"office head", e.actor(t, "gat.head"), dep("西湖区教育局", "330106", org.KindDepartment), "auth.forbidden", problem.Forbidden},
		{"reviewer", e.actor(t, "hz.reviewer"), dep("西湖区教育局", "330106", org.KindDepartment), "auth.forbidden", problem.Forbidden},
		{"contractor", e.actor(t, "ops"), dep("西湖区教育局", "330106", org.KindDepartment), "auth.forbidden", problem.Forbidden},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e.refused(t, c.code, c.kind, func() error { _, err := e.app.Org.CreateDepartment(ctx, c.a, c.d); return err })
		})
	}
}

func (e *env) testCreatePerson(t *testing.T) {
	ctx := context.Background()
	const pw = "a-long-password"
	hzga := e.dept("杭州市公安局")
	t.Run("admin creates", func(t *testing.T) {
		seq := e.lastSeq(t)
		p, err := e.app.Org.CreatePerson(ctx, e.admin, org.NewPerson{Username: "xh.reviewer", DisplayName: "冯审核",
			DepartmentID: e.dept("西湖区数据资源管理局").ID, Roles: []access.Role{access.AuthorityReviewer}, Password: pw})
		if err != nil {
			t.Fatal(err)
		}
		if p.Version != 1 || p.Username != "xh.reviewer" || !p.Has(access.AuthorityReviewer) {
			t.Fatalf("created %+v", p)
		}
		e.wantOneEvent(t, seq, e.admin, "person.create", "person", p.ID, p)
		// The new reviewer acts for 西湖区: it sees 西湖区民政局 but not 杭州市公安局.
		a := e.actorByID(t, p.ID)
		if _, err := e.app.Org.Person(ctx, a, e.p.Account("xhmz.staff").ID); err != nil {
			t.Fatalf("西湖区 reviewer reading 西湖区 staff: %v", err)
		}
		if _, err := e.app.Org.Person(ctx, a, e.p.Account("hzga.staff").ID); problem.CodeOf(err) != "auth.forbidden" {
			t.Fatalf("西湖区 reviewer reading 杭州 staff: %v", err)
		}
	})
	t.Run("office head creates staff of own department", func(t *testing.T) {
		head := e.actor(t, "hzga.head")
		seq := e.lastSeq(t)
		p, err := e.app.Org.CreatePerson(ctx, head, org.NewPerson{Username: "hzga.staff2", DisplayName: "新经办",
			DepartmentID: hzga.ID, Roles: []access.Role{access.OfficeStaff}, Password: pw})
		if err != nil {
			t.Fatal(err)
		}
		e.wantOneEvent(t, seq, head, "person.create", "person", p.ID, p)
		if p.DepartmentID != hzga.ID || !slices.Equal(p.Roles, []access.Role{access.OfficeStaff}) {
			t.Fatalf("created %+v", p)
		}
	})
	np := func(username, dept string, roles ...access.Role) org.NewPerson {
		return org.NewPerson{Username: username, DisplayName: "某人", DepartmentID: dept, Roles: roles, Password: pw}
	}
	shortPw := np("short.pw", hzga.ID, access.OfficeStaff)
	shortPw.Password = "short"
	cases := []struct {
		name string
		a    access.Actor
		n    org.NewPerson
		code string
		kind problem.Kind
	}{
		{"duplicate username", e.admin, np("gat.staff", e.dept("浙江省公安厅").ID, access.OfficeStaff), "org.username_taken", problem.Conflict},
		{"bad username", e.admin, np("Bad Name", "", access.PlatformAdmin), "org.username_invalid", problem.Invalid},
		{"short password", e.admin, shortPw, "auth.password_too_short", problem.Invalid},
		{"unknown department", e.admin, np("ghost", "no-such-department", access.OfficeStaff), "org.department_unknown", problem.Invalid},
		{"reviewer outside an authority", e.admin, np("bad.reviewer", hzga.ID, access.AuthorityReviewer), "org.role_needs_authority", problem.Invalid},
		{"contractor with another role", e.admin, np("bad.ops", "", access.Contractor, access.PlatformAdmin), "org.contractor_exclusive", problem.Invalid},
		{"staff without department", e.admin, np("bad.staff", "", access.OfficeStaff), "org.role_needs_department", problem.Invalid},
		{"head creates staff elsewhere", e.actor(t, "hzga.head"), np("x.staff", e.dept("杭州市民政局").ID, access.OfficeStaff), "auth.forbidden", problem.Forbidden},
		{"head creates a head", e.actor(t, "hzga.head"), np("x.head", hzga.ID, access.OfficeHead), "auth.forbidden", problem.Forbidden},
		{"staff creates staff", e.actor(t, "hzga.staff"), np("x.staff", hzga.ID, access.OfficeStaff), "auth.forbidden", problem.Forbidden},
		{"reviewer creates staff", e.actor(t, "hz.reviewer"), np("x.staff", hzga.ID, access.OfficeStaff), "auth.forbidden", problem.Forbidden},
		{"contractor creates", e.actor(t, "ops"), np("x.ops", "", access.Contractor), "auth.forbidden", problem.Forbidden},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e.refused(t, c.code, c.kind, func() error { _, err := e.app.Org.CreatePerson(ctx, c.a, c.n); return err })
		})
	}
}

func (e *env) testUpdatePerson(t *testing.T) {
	ctx := context.Background()
	target, err := e.app.Org.Person(ctx, e.admin, e.p.Account("scjg.staff").ID)
	if err != nil {
		t.Fatal(err)
	}
	yes := true
	name := "钱经办（新）"
	t.Run("refusals", func(t *testing.T) {
		self := e.actor(t, "admin")
		cases := []struct {
			name string
			a    access.Actor
			id   string
			u    org.PersonUpdate
			code string
		}{
			{"stale version", e.admin, target.ID, org.PersonUpdate{DisplayName: &name, Version: target.Version + 1}, "conflict.version"},
			{"no version", e.admin, target.ID, org.PersonUpdate{DisplayName: &name}, "org.version_required"},
			{"admin disables self", self, self.PersonID, org.PersonUpdate{Disabled: &yes, Version: 1}, "org.self_change"},
			{"head of another department", e.actor(t, "gat.head"), target.ID, org.PersonUpdate{DisplayName: &name, Version: target.Version}, "auth.forbidden"},
			{"staff disables self", e.actor(t, "scjg.staff"), target.ID, org.PersonUpdate{Disabled: &yes, Version: target.Version}, "auth.forbidden"},
			{"head disables self", e.actor(t, "scjg.head"), e.p.Account("scjg.head").ID, org.PersonUpdate{Disabled: &yes, Version: 1}, "auth.forbidden"},
			{"unknown", e.admin, "nobody", org.PersonUpdate{DisplayName: &name, Version: 1}, "org.person_not_found"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				seq := e.lastSeq(t)
				_, err := e.app.Org.UpdatePerson(ctx, c.a, c.id, c.u)
				if problem.CodeOf(err) != c.code {
					t.Fatalf("err = %v, want %s", err, c.code)
				}
				if n := len(e.eventsAfter(t, seq)); n != 0 {
					t.Fatalf("%d events after a refusal", n)
				}
			})
		}
	})
	t.Run("own head renames and disables staff", func(t *testing.T) {
		head := e.actor(t, "scjg.head")
		seq := e.lastSeq(t)
		p, err := e.app.Org.UpdatePerson(ctx, head, target.ID, org.PersonUpdate{DisplayName: &name, Disabled: &yes, Version: target.Version})
		if err != nil {
			t.Fatal(err)
		}
		if p.Version != target.Version+1 || !p.Disabled || p.DisplayName != name {
			t.Fatalf("updated %+v", p)
		}
		e.wantOneEvent(t, seq, head, "person.update", "person", p.ID, p)
		got, err := e.app.Org.Person(ctx, e.admin, target.ID)
		if err != nil || !got.Disabled || got.Version != p.Version {
			t.Fatalf("read back %+v, %v", got, err)
		}
	})
}

func (e *env) testUpdateOffice(t *testing.T) {
	ctx := context.Background()
	hzga := e.dept("杭州市公安局")
	head := e.actor(t, "hzga.head")
	cur, err := e.app.Org.Department(ctx, head, hzga.ID)
	if err != nil {
		t.Fatal(err)
	}
	u := func(name, headID string, version int64) org.OfficeUpdate {
		return org.OfficeUpdate{OfficeName: name, OfficeHeadID: headID, Version: version}
	}
	cases := []struct {
		name string
		a    access.Actor
		dept string
		u    org.OfficeUpdate
		code string
	}{
		{"own staff", e.actor(t, "hzga.staff"), hzga.ID, u("科信处", "", cur.Version), "auth.forbidden"},
		{"staff of another department", e.actor(t, "gat.staff"), hzga.ID, u("科信处", "", cur.Version), "auth.forbidden"},
		{"head of another department", e.actor(t, "gat.head"), hzga.ID, u("科信处", "", cur.Version), "auth.forbidden"},
		{"reviewer of the region", e.actor(t, "hz.reviewer"), hzga.ID, u("科信处", "", cur.Version), "auth.forbidden"},
		{"contractor", e.actor(t, "ops"), hzga.ID, u("科信处", "", cur.Version), "auth.forbidden"},
		{"head from another department", head, hzga.ID, u("科信处", e.p.Account("gat.head").ID, cur.Version), "org.office_head_foreign"},
		{"head who is unknown", head, hzga.ID, u("科信处", "nobody", cur.Version), "org.office_head_foreign"},
		{"head without the role", head, hzga.ID, u("科信处", e.p.Account("hzga.staff").ID, cur.Version), "org.office_head_role"},
		{"stale version", head, hzga.ID, u("科信处", "", cur.Version-1), "conflict.version"},
		{"future version", head, hzga.ID, u("科信处", "", cur.Version+1), "conflict.version"},
		{"no version", head, hzga.ID, u("科信处", "", 0), "org.version_required"},
		{"empty name", head, hzga.ID, u("  ", "", cur.Version), "org.name_required"},
		{"unknown department", e.admin, "nope", u("科信处", "", 1), "org.department_not_found"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			seq := e.lastSeq(t)
			_, err := e.app.Org.UpdateOffice(ctx, c.a, c.dept, c.u)
			if problem.CodeOf(err) != c.code {
				t.Fatalf("err = %v, want %s", err, c.code)
			}
			if n := len(e.eventsAfter(t, seq)); n != 0 {
				t.Fatalf("%d events after a refusal", n)
			}
			got, err := e.app.Org.Department(ctx, e.admin, hzga.ID)
			if err != nil || got != cur {
				t.Fatalf("department changed by a refused update: %+v -> %+v (%v)", cur, got, err)
			}
		})
	}
	t.Run("head updates own office, then a stale second update conflicts", func(t *testing.T) {
		e.clock.Advance(time.Minute)
		seq := e.lastSeq(t)
		d, err := e.app.Org.UpdateOffice(ctx, head, hzga.ID, u("科技信息化处（数据）", head.PersonID, cur.Version))
		if err != nil {
			t.Fatal(err)
		}
		if d.Version != cur.Version+1 || d.OfficeName != "科技信息化处（数据）" || d.OfficeHeadID != head.PersonID || !d.UpdatedAt.Equal(e.clock.Now()) {
			t.Fatalf("updated %+v", d)
		}
		e.wantOneEvent(t, seq, head, "department.office_update", "department", d.ID, d)
		seq = e.lastSeq(t)
		_, err = e.app.Org.UpdateOffice(ctx, e.admin, hzga.ID, u("另一个名字", "", cur.Version))
		if problem.CodeOf(err) != "conflict.version" || !problem.Is(err, problem.Conflict) {
			t.Fatalf("second update with the same version: %v, want conflict.version", err)
		}
		if n := len(e.eventsAfter(t, seq)); n != 0 {
			t.Fatalf("%d events after a conflict", n)
		}
		got, _ := e.app.Org.Department(ctx, e.admin, hzga.ID)
		if got.OfficeName != d.OfficeName || got.Version != d.Version {
			t.Fatalf("the first update was lost: %+v", got)
		}
	})
	t.Run("admin may clear the head", func(t *testing.T) {
		d0, _ := e.app.Org.Department(ctx, e.admin, hzga.ID)
		seq := e.lastSeq(t)
		d, err := e.app.Org.UpdateOffice(ctx, e.admin, hzga.ID, u("科技信息化处", "", d0.Version))
		if err != nil || d.OfficeHeadID != "" || d.Version != d0.Version+1 {
			t.Fatalf("%+v %v", d, err)
		}
		e.wantOneEvent(t, seq, e.admin, "department.office_update", "department", d.ID, d)
	})
}

func (e *env) testConcurrentOfficeUpdates(t *testing.T) {
	ctx := context.Background()
	dept := e.dept("海曙区民政局")
	start, err := e.app.Org.Department(ctx, e.admin, dept.ID)
	if err != nil {
		t.Fatal(err)
	}
	seq := e.lastSeq(t)
	const workers, perWorker = 8, 3
	var mu sync.Mutex
	var written []org.Department
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		wg.Go(func() {
			for i := range perWorker {
				name := fmt.Sprintf("办公室-%d-%d", w, i)
				for attempt := 0; ; attempt++ {
					if attempt > 200 {
						errs <- fmt.Errorf("worker %d: gave up after %d conflicts", w, attempt)
						return
					}
					cur, err := e.app.Org.Department(ctx, e.admin, dept.ID)
					if err != nil {
						errs <- err
						return
					}
					d, err := e.app.Org.UpdateOffice(ctx, e.admin, dept.ID, org.OfficeUpdate{OfficeName: name, Version: cur.Version})
					if problem.CodeOf(err) == "conflict.version" {
						continue
					}
					if err != nil {
						errs <- fmt.Errorf("worker %d: %w", w, err)
						return
					}
					mu.Lock()
					written = append(written, d)
					mu.Unlock()
					break
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if len(written) != workers*perWorker {
		t.Fatalf("%d successful updates, want %d", len(written), workers*perWorker)
	}
	end, err := e.app.Org.Department(ctx, e.admin, dept.ID)
	if err != nil {
		t.Fatal(err)
	}
	if end.Version != start.Version+int64(len(written)) {
		t.Fatalf("version %d after %d updates from %d: an update was lost", end.Version, len(written), start.Version)
	}
	// Every success produced a distinct version and exactly one event whose
	// digest is that of the department it returned.
	versions := map[int64]bool{}
	digests := map[string]int{}
	for _, d := range written {
		if versions[d.Version] {
			t.Fatalf("version %d returned twice", d.Version)
		}
		versions[d.Version] = true
		dg, _ := ledger.Digest(d)
		digests[dg]++
	}
	evs, err := e.app.Ledger.Events(ctx, e.admin, ledger.Filter{After: seq, Action: "department.office_update", ObjectID: dept.ID, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != len(written) {
		t.Fatalf("%d office_update events, want %d", len(evs), len(written))
	}
	for _, ev := range evs {
		digests[ev.Digest]--
	}
	for dg, n := range digests {
		if n != 0 {
			t.Fatalf("digest %s: %d unmatched between returned departments and events", dg, n)
		}
	}
	last := written[0]
	for _, d := range written {
		if d.Version > last.Version {
			last = d
		}
	}
	if end.OfficeName != last.OfficeName {
		t.Fatalf("stored office name %q, but the last successful update wrote %q", end.OfficeName, last.OfficeName)
	}
}

func (e *env) testSameLevelAuthority(t *testing.T) {
	ctx := context.Background()
	staff := e.actor(t, "xhmz.staff")
	cases := []struct{ dept, want string }{
		{"西湖区民政局", "西湖区数据资源管理局"},
		{"北山街道办事处", "西湖区数据资源管理局"}, // a township has none: the nearest above
		{"西湖区数据资源管理局", "西湖区数据资源管理局"},
		{"杭州市公安局", "杭州市数据资源管理局"},
		{"海曙区民政局", "宁波市大数据发展管理局"}, // 海曙区 has no authority in the demo
		{"浙江省人民检察院", "浙江省数据局"},
		{"浙江省数据局", "浙江省数据局"},
	}
	for _, c := range cases {
		t.Run(c.dept, func(t *testing.T) {
			got, err := e.app.Org.SameLevelAuthority(ctx, staff, e.dept(c.dept).ID)
			if err != nil || got.Name != c.want || got.Kind != org.KindAuthority {
				t.Fatalf("SameLevelAuthority(%s) = %s, %v; want %s", c.dept, got.Name, err, c.want)
			}
		})
	}
	t.Run("contractor refused", func(t *testing.T) {
		_, err := e.app.Org.SameLevelAuthority(ctx, e.actor(t, "ops"), e.dept("西湖区民政局").ID)
		if problem.CodeOf(err) != "auth.forbidden" {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("unknown department", func(t *testing.T) {
		_, err := e.app.Org.SameLevelAuthority(ctx, staff, "nope")
		if problem.CodeOf(err) != "org.department_not_found" {
			t.Fatalf("err = %v", err)
		}
	})
}

func (e *env) testCommonAuthority(t *testing.T) {
	ctx := context.Background()
	staff := e.actor(t, "gat.staff")
	cases := []struct{ a, b, want string }{
		{"杭州市公安局", "杭州市民政局", "杭州市数据资源管理局"},
		{"杭州市公安局", "宁波市卫生健康委员会", "浙江省数据局"},
		{"杭州市民政局", "西湖区民政局", "杭州市数据资源管理局"},
		{"西湖区民政局", "杭州市民政局", "杭州市数据资源管理局"},
		{"浙江省公安厅", "西湖区民政局", "浙江省数据局"},
		{"西湖区民政局", "北山街道办事处", "西湖区数据资源管理局"},
		{"北山街道办事处", "北山街道办事处", "西湖区数据资源管理局"},
		{"海曙区民政局", "宁波市卫生健康委员会", "宁波市大数据发展管理局"},
		{"海曙区民政局", "北山街道办事处", "浙江省数据局"},
		{"国家数据局", "西湖区民政局", "国家数据局"},
	}
	for _, c := range cases {
		t.Run(c.a+"+"+c.b, func(t *testing.T) {
			got, err := e.app.Org.CommonAuthority(ctx, staff, e.dept(c.a).ID, e.dept(c.b).ID)
			if err != nil || got.Name != c.want {
				t.Fatalf("CommonAuthority = %s, %v; want %s", got.Name, err, c.want)
			}
		})
	}
	t.Run("unknown second department names field b", func(t *testing.T) {
		_, err := e.app.Org.CommonAuthority(ctx, staff, e.dept("杭州市公安局").ID, "nope")
		var p *problem.Error
		if !errors.As(err, &p) || p.Code != "org.department_unknown" || p.Field != "b" {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("contractor refused", func(t *testing.T) {
		_, err := e.app.Org.CommonAuthority(ctx, e.actor(t, "ops"), e.dept("杭州市公安局").ID, e.dept("杭州市民政局").ID)
		if problem.CodeOf(err) != "auth.forbidden" {
			t.Fatalf("err = %v", err)
		}
	})
}

// The named office head cannot be disabled or lose the role while named:
// the department would be left without anyone who may approve (Art. 11, 20).
func TestOfficeHeadStaysValid(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a := app.New(s, demo.ReferenceClock, auth.DefaultPolicy)
		p, err := demo.Load(ctx, a)
		if err != nil {
			t.Fatal(err)
		}
		op := access.Operator("test")
		head, err := a.Org.Person(ctx, access.Actor{Roles: []access.Role{access.PlatformAdmin}}, p.Account("gat.head").ID)
		if err != nil {
			t.Fatal(err)
		}
		yes := true
		staffOnly := []access.Role{access.OfficeStaff}
		for name, u := range map[string]org.PersonUpdate{
			"disable":     {Disabled: &yes, Version: head.Version},
			"remove role": {Roles: &staffOnly, Version: head.Version},
		} {
			_, err := a.Org.UpdatePerson(ctx, op, head.ID, u)
			if problem.CodeOf(err) != "org.office_head_in_use" {
				t.Errorf("%s the named head: %v, want org.office_head_in_use", name, err)
			}
		}
		// A staff member can be disabled freely.
		staff, _ := a.Org.Person(ctx, access.Actor{Roles: []access.Role{access.PlatformAdmin}}, p.Account("gat.staff").ID)
		if _, err := a.Org.UpdatePerson(ctx, op, staff.ID, org.PersonUpdate{Disabled: &yes, Version: staff.Version}); err != nil {
			t.Errorf("disable staff: %v", err)
		}
	})
}
