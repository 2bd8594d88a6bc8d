package ledger_test

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/emmansun/gmsm/sm3"

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

func TestSM3KnownVector(t *testing.T) {
	// GB/T 32905-2016, example 1.
	sum := sm3.Sum([]byte("abc"))
	if got := hex.EncodeToString(sum[:]); got != "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0" {
		t.Fatalf("SM3(abc) = %s", got)
	}
}

func TestDigest(t *testing.T) {
	type obj struct {
		B string            `json:"b"`
		A int               `json:"a"`
		M map[string]string `json:"m"`
		T time.Time         `json:"t"`
	}
	v := obj{B: "西湖区", A: 7, M: map[string]string{"z": "1", "a": "2", "m": "3"}, T: time.Date(2026, 1, 2, 3, 4, 5, 6, time.UTC)}
	d1, err := ledger.Digest(v)
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^sm3:[0-9a-f]{64}$`).MatchString(d1) {
		t.Fatalf("digest %q is not sm3:<64 hex>", d1)
	}
	for range 20 { // map order is random; the digest must not be
		if d, _ := ledger.Digest(v); d != d1 {
			t.Fatalf("digest not deterministic: %s vs %s", d, d1)
		}
	}
	b, _ := json.Marshal(v)
	sum := sm3.Sum(b)
	if want := "sm3:" + hex.EncodeToString(sum[:]); d1 != want {
		t.Fatalf("Digest = %s, want SM3 of the JSON %s", d1, want)
	}
	v.A = 8
	if d, _ := ledger.Digest(v); d == d1 {
		t.Fatal("changing a field did not change the digest")
	}
	// The JSON string "abc" is `"abc"`, quotes included: not the bare vector.
	ds, _ := ledger.Digest("abc")
	if ds == "sm3:66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0" {
		t.Fatal(`Digest("abc") hashed the bare bytes, not their JSON`)
	}
	sum = sm3.Sum([]byte(`"abc"`))
	if ds != "sm3:"+hex.EncodeToString(sum[:]) {
		t.Fatalf(`Digest("abc") = %s`, ds)
	}
	if _, err := ledger.Digest(func() {}); err == nil {
		t.Fatal("a value JSON cannot encode gave no error")
	}
}

func TestNewEvent(t *testing.T) {
	at := time.Date(2026, 5, 1, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
	a := access.Actor{PersonID: "p1", DepartmentID: "d1", DivisionCode: "330106", Roles: []access.Role{access.OfficeHead}}
	e, err := ledger.New(at, a, "department.office_update", "department", "d1", map[string]int{"v": 2})
	if err != nil {
		t.Fatal(err)
	}
	want, _ := ledger.Digest(map[string]int{"v": 2})
	if e.At.Location() != time.UTC || !e.At.Equal(at) || e.ActorID != "p1" || e.DepartmentID != "d1" ||
		e.Action != "department.office_update" || e.ObjectType != "department" || e.ObjectID != "d1" || e.Digest != want || e.Seq != 0 {
		t.Fatalf("event %+v", e)
	}
}

func TestScope(t *testing.T) {
	actor := func(dept, div string, roles ...access.Role) access.Actor {
		return access.Actor{PersonID: "p", DepartmentID: dept, DivisionCode: div, Roles: roles}
	}
	cases := []struct {
		name string
		a    access.Actor
		in   ledger.Filter
		want ledger.Filter
		code string
	}{
		{"admin sees all", actor("", "", access.PlatformAdmin), ledger.Filter{Limit: 5}, ledger.Filter{Limit: 5}, ""},
		{"admin keeps a department filter", actor("", "", access.PlatformAdmin), ledger.Filter{DepartmentID: "x"}, ledger.Filter{DepartmentID: "x"}, ""},
		{"admin region from request is kept as asked", actor("", "", access.PlatformAdmin), ledger.Filter{Region: "330100"}, ledger.Filter{Region: "330100"}, ""},
		{"auditor gets own region", actor("d", "330000", access.Auditor), ledger.Filter{Region: "100000"}, ledger.Filter{Region: "330000"}, ""},
		{"reviewer gets own region", actor("d", "330100", access.AuthorityReviewer), ledger.Filter{}, ledger.Filter{Region: "330100"}, ""},
		{"office head gets own department", actor("d1", "330106", access.OfficeHead), ledger.Filter{}, ledger.Filter{DepartmentID: "d1"}, ""},
		{"office head asks for own department", actor("d1", "330106", access.OfficeHead), ledger.Filter{DepartmentID: "d1"}, ledger.Filter{DepartmentID: "d1"}, ""},
		{"office head asks for another", actor("d1", "330106", access.OfficeHead), ledger.Filter{DepartmentID: "d2"}, ledger.Filter{}, "auth.forbidden"},
		{"office staff", actor("d1", "330106", access.OfficeStaff), ledger.Filter{}, ledger.Filter{}, "auth.forbidden"},
		{"contractor", actor("", "", access.Contractor), ledger.Filter{}, ledger.Filter{}, "auth.forbidden"},
		{"system", access.System, ledger.Filter{}, ledger.Filter{}, "auth.forbidden"},
		{"operator", access.Operator("root"), ledger.Filter{}, ledger.Filter{}, "auth.forbidden"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := ledger.Scope(c.a, c.in)
			if problem.CodeOf(err) != c.code {
				t.Fatalf("err = %v, want %q", err, c.code)
			}
			if c.code == "" && got != c.want {
				t.Fatalf("scope = %+v, want %+v", got, c.want)
			}
		})
	}
}

func TestEventsByRegion(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		clock := func() time.Time { return time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC) }
		a := app.New(s, clock, auth.DefaultPolicy)
		p, err := demo.Load(ctx, a)
		if err != nil {
			t.Fatal(err)
		}
		actorOf := func(username string) access.Actor {
			var ac *access.Actor
			err := s.Read(ctx, func(tx *store.Tx) (err error) { ac, err = tx.Actor(ctx, p.Account(username).ID); return err })
			if err != nil || ac == nil {
				t.Fatalf("actor %s: %v", username, err)
			}
			return *ac
		}
		// One act by someone of each of these departments.
		acts := map[string]int64{} // username -> seq of the act
		for _, u := range []string{"gat.head", "hzga.staff", "hzmz.head", "xhmz.staff", "nbwj.head", "zj.reviewer", "audit", "ops", "admin"} {
			var before int64
			_ = s.Read(ctx, func(tx *store.Tx) (err error) { before, err = tx.EventCount(ctx); return err })
			if _, err := a.Auth.CreateToken(ctx, actorOf(u), auth.NewToken{Name: "t"}); err != nil {
				t.Fatal(err)
			}
			acts[u] = before + 1
			if u == "xhmz.staff" {
				// Index the departments of the events so far: the cases
				// run over a record indexed in part, then in whole
				// (listings read the index, then scan what follows it).
				if _, err := s.IndexEvents(ctx); err != nil {
					t.Fatal(err)
				}
			}
		}
		seqsFor := func(users ...string) []int64 {
			var out []int64
			for _, u := range users {
				out = append(out, acts[u])
			}
			slices.Sort(out)
			return out
		}
		first := slices.Min(seqsFor("gat.head")) - 1
		cases := []struct {
			reader string
			filter ledger.Filter
			want   []int64
			code   string
		}{
			{"admin", ledger.Filter{}, seqsFor("gat.head", "hzga.staff", "hzmz.head", "xhmz.staff", "nbwj.head", "zj.reviewer", "audit", "ops", "admin"), ""},
			{"audit", ledger.Filter{}, seqsFor("gat.head", "hzga.staff", "hzmz.head", "xhmz.staff", "nbwj.head", "zj.reviewer", "audit"), ""},
			{"zj.reviewer", ledger.Filter{}, seqsFor("gat.head", "hzga.staff", "hzmz.head", "xhmz.staff", "nbwj.head", "zj.reviewer", "audit"), ""},
			{"hz.reviewer", ledger.Filter{}, seqsFor("hzga.staff", "hzmz.head", "xhmz.staff"), ""},
			{"hz.reviewer", ledger.Filter{Region: "330000"}, seqsFor("hzga.staff", "hzmz.head", "xhmz.staff"), ""},
			{"hz.reviewer", ledger.Filter{DepartmentID: p.Departments["西湖区民政局"].ID}, seqsFor("xhmz.staff"), ""},
			{"hz.reviewer", ledger.Filter{DepartmentID: p.Departments["浙江省公安厅"].ID}, nil, ""},
			{"nb.reviewer", ledger.Filter{}, seqsFor("nbwj.head"), ""},
			{"hzga.head", ledger.Filter{}, seqsFor("hzga.staff"), ""},
			{"gat.head", ledger.Filter{}, seqsFor("gat.head"), ""},
			{"gat.head", ledger.Filter{DepartmentID: p.Departments["杭州市公安局"].ID}, nil, "auth.forbidden"},
			{"gat.staff", ledger.Filter{}, nil, "auth.forbidden"},
			{"ops", ledger.Filter{}, nil, "auth.forbidden"},
		}
		for _, stage := range []string{"indexed in part", "indexed"} {
			if stage == "indexed" {
				if n, err := s.IndexEvents(ctx); err != nil || n == 0 {
					t.Fatalf("index: %d %v", n, err)
				}
			}
			for _, c := range cases {
				t.Run(stage+"/"+c.reader, func(t *testing.T) {
					f := c.filter
					f.After, f.Limit = first, 500
					evs, err := a.Ledger.Events(ctx, actorOf(c.reader), f)
					if problem.CodeOf(err) != c.code {
						t.Fatalf("err = %v, want %q", err, c.code)
					}
					var got []int64
					for _, e := range evs {
						got = append(got, e.Seq)
					}
					if !slices.Equal(got, c.want) {
						t.Fatalf("%s sees seqs %v, want %v", c.reader, got, c.want)
					}
				})
			}
		}
		// An admin acting on a department: the act is in that department's
		// record and its region's, though the admin acts for no department.
		t.Run("acts done to a department", func(t *testing.T) {
			gat := p.Departments["浙江省公安厅"]
			admin := actorOf("admin")
			d, err := a.Org.UpdateOffice(ctx, admin, gat.ID, org.OfficeUpdate{OfficeName: "数据管理处", OfficeHeadID: gat.OfficeHeadID, Version: gat.Version})
			if err != nil {
				t.Fatal(err)
			}
			for reader, sees := range map[string]bool{"gat.head": true, "zj.reviewer": true, "audit": true, "hz.reviewer": false, "hzga.head": false} {
				evs, err := a.Ledger.Events(ctx, actorOf(reader), ledger.Filter{Action: "department.office_update", ObjectID: gat.ID, After: first, Limit: 500})
				if err != nil {
					t.Fatal(err)
				}
				found := false
				for _, e := range evs {
					found = found || (e.ActorID == admin.PersonID && e.ObjectDepartmentID == gat.ID && e.Digest == mustDigest(t, d))
				}
				if found != sees {
					t.Errorf("%s sees the admin's act on 浙江省公安厅: %v, want %v", reader, found, sees)
				}
			}
		})
		t.Run("pagination", func(t *testing.T) {
			admin := actorOf("admin")
			all, err := a.Ledger.Events(ctx, admin, ledger.Filter{Limit: 500})
			if err != nil {
				t.Fatal(err)
			}
			var paged []ledger.Event
			for after := int64(0); ; {
				page, err := a.Ledger.Events(ctx, admin, ledger.Filter{After: after, Limit: 7})
				if err != nil {
					t.Fatal(err)
				}
				if len(page) == 0 {
					break
				}
				if len(page) > 7 {
					t.Fatalf("page of %d", len(page))
				}
				paged = append(paged, page...)
				after = page[len(page)-1].Seq
			}
			if !slices.Equal(paged, all) {
				t.Fatalf("paging gave %d events, one listing %d", len(paged), len(all))
			}
			for i, e := range all {
				if e.Seq != int64(i+1) {
					t.Fatalf("event %d has seq %d", i, e.Seq)
				}
			}
		})
	})
}

func mustDigest(t *testing.T, v any) string {
	t.Helper()
	d, err := ledger.Digest(v)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
