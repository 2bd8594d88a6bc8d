package bench_test

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/app"
	"github.com/govshare/govshare/internal/auth"
	"github.com/govshare/govshare/internal/bench"
	"github.com/govshare/govshare/internal/catalog"
	"github.com/govshare/govshare/internal/demo"
	"github.com/govshare/govshare/internal/org"
	"github.com/govshare/govshare/internal/store"
	"github.com/govshare/govshare/internal/storetest"
)

// all pages through a search and returns the IDs found, checking the pages
// come newest first without repeats.
func all(t *testing.T, a *app.App, who access.Actor, q catalog.Query) []string {
	t.Helper()
	q.Limit = 500
	var ids []string
	seen := map[string]bool{}
	last := int64(0)
	for {
		p, err := a.Catalog.Search(context.Background(), who, q)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range p.Items {
			if seen[s.ID] {
				t.Fatalf("%+v: %s on two pages", q, s.ID)
			}
			if last != 0 && s.Seq >= last {
				t.Fatalf("%+v: not newest first", q)
			}
			seen[s.ID], last = true, s.Seq
			ids = append(ids, s.ID)
		}
		if p.NextCursor == "" {
			return ids
		}
		q.Cursor = p.NextCursor
	}
}

// TestSearchSeedAndResults seeds a small generated catalog on both engines
// and checks that search finds exactly what was seeded: by 3+ character
// text (the trigram index on SQLite), by 2 character text (a scan), by
// attribute, and through every page. It asserts results, never times.
func TestSearchSeedAndResults(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a := app.New(s, demo.ReferenceClock, auth.DefaultPolicy)
		p, err := demo.Load(ctx, a)
		if err != nil {
			t.Fatal(err)
		}
		acc := p.Account("hzga.staff")
		d := p.Departments[acc.Department]
		reader := access.Actor{PersonID: acc.ID, DepartmentID: d.ID, DivisionCode: d.DivisionCode, Roles: []access.Role{acc.Role}}
		queries := map[string]catalog.Query{
			"残疾人证": {Text: "残疾人证"}, "资质": {Text: "资质"}, "户籍": {Text: "户籍"},
			"not_shareable": {Attribute: catalog.NotShareable}, "all": {}, "gat": {ProviderID: p.Departments["浙江省公安厅"].ID},
		}
		before := map[string]int{}
		for k, q := range queries {
			before[k] = len(all(t, a, reader, q))
		}
		var depts []org.Department
		for _, d := range p.Departments {
			if d.Kind == org.KindDepartment {
				depts = append(depts, d)
			}
		}
		sort.Slice(depts, func(i, j int) bool { return depts[i].Name < depts[j].Name })
		const n = 2000
		seed, err := bench.SeedCatalog(ctx, s, depts, n, 7)
		if err != nil {
			t.Fatal(err)
		}
		total := 0
		for _, c := range seed.ByAttribute {
			total += c
		}
		if total != n || seed.ByAttribute[catalog.NotShareable] == 0 || seed.BySubject["残疾人证"] == 0 || seed.BySubject["建筑业企业资质"] == 0 {
			t.Fatalf("seed %+v", seed)
		}
		want := map[string]int{
			"残疾人证":          seed.BySubject["残疾人证"],
			"资质":            seed.BySubject["建筑业企业资质"],
			"户籍":            seed.BySubject["常住人口"] + seed.BySubject["户籍迁移"],
			"not_shareable": seed.ByAttribute[catalog.NotShareable],
			"all":           n,
			"gat":           (n + len(depts) - 1 - indexOf(depts, "浙江省公安厅")) / len(depts),
		}
		for k, q := range queries {
			if got := len(all(t, a, reader, q)) - before[k]; got != want[k] {
				t.Errorf("%s: %d new results, want %d", k, got, want[k])
			}
		}
		// A seeded entry reads back whole through the service and is valid.
		page, err := a.Catalog.Search(ctx, reader, catalog.Query{Text: "残疾人证", Limit: 1})
		if err != nil || len(page.Items) != 1 {
			t.Fatalf("%v %v", page, err)
		}
		e, err := a.Catalog.Get(ctx, reader, page.Items[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if err := catalog.ValidateDraft(e.Draft); err != nil || e.State != catalog.Published || e.Grade != catalog.Strictest(e.Items) {
			t.Errorf("seeded entry: %v, state %s, grade %s", err, e.State, e.Grade)
		}
	})
}

func indexOf(depts []org.Department, name string) int {
	for i, d := range depts {
		if d.Name == name {
			return i
		}
	}
	return -1
}

// TestSearchLatencyRuns keeps the measurement itself working.
func TestSearchLatencyRuns(t *testing.T) {
	r, err := bench.SearchLatency(context.Background(), storetest.SQLite(t), 500, 2)
	if err != nil {
		t.Fatal(err)
	}
	if r.Samples != 2*len(r.ByQuery) || r.P50 <= 0 || r.P95 < r.P50 || r.P99 < r.P95 || r.Entries != 500 {
		t.Errorf("result %+v", r)
	}
	for _, q := range r.ByQuery {
		if q.Name == "text 2 absent 火星" && q.Results != 0 || q.Name == "text 3+ 身份证" && q.Results == 0 {
			t.Errorf("%s: %d results", q.Name, q.Results)
		}
	}
}

// BenchmarkCatalogSearch: catalog search over a generated catalog of
// GOVSHARE_BENCH_ENTRIES entries (100,000 by default), the whole query mix
// per op; the p50/p95/p99 of single queries are reported as metrics.
// PostgreSQL runs when GOVSHARE_TEST_POSTGRES is set.
func BenchmarkCatalogSearch(b *testing.B) {
	n := 100000
	if v, err := strconv.Atoi(os.Getenv("GOVSHARE_BENCH_ENTRIES")); err == nil && v > 0 {
		n = v
	}
	run := func(b *testing.B, s *store.Store) {
		ctx := context.Background()
		e, err := bench.SetupSearch(ctx, s, n)
		if err != nil {
			b.Fatal(err)
		}
		b.Logf("seeded %d entries in %s", n, e.Seed.Elapsed)
		b.ResetTimer()
		for b.Loop() {
			if _, err := e.Measure(ctx, "catalog search", 1); err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		r, err := e.Measure(ctx, "catalog search ("+string(s.Engine())+")", 20)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(r.P50.Microseconds())/1000, "p50-ms")
		b.ReportMetric(float64(r.P95.Microseconds())/1000, "p95-ms")
		b.ReportMetric(float64(r.P99.Microseconds())/1000, "p99-ms")
		fmt.Println(r) // the per-query table; b.Log would truncate it
	}
	b.Run("sqlite", func(b *testing.B) { run(b, storetest.SQLite(b)) })
	b.Run("postgres", func(b *testing.B) { run(b, storetest.Postgres(b)) })
}

// TestSearchShortAndMixedTerms checks text search against the search text
// itself on both engines: terms of one and two characters (the bigram index
// on SQLite), several words mixing short and long terms, terms absent from
// the catalog, and a term spanning two words, which matches nothing.
func TestSearchShortAndMixedTerms(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		e, err := bench.SetupSearch(ctx, s, 300)
		if err != nil {
			t.Fatal(err)
		}
		texts := map[string]string{}
		for _, id := range all(t, e.App, e.Reader, catalog.Query{}) {
			en, err := e.App.Catalog.Get(ctx, e.Reader, id)
			if err != nil {
				t.Fatal(err)
			}
			texts[id] = catalog.SearchText(catalog.Version{Draft: en.Draft})
		}
		for _, text := range []string{"资", "证", "码", "籍", "户籍", "资质", "火", "火星", "身份证 户", "身份证 火", "码 户籍 证", "码\n记", "Oracle"} {
			terms := strings.Fields(strings.ToLower(text))
			want := map[string]bool{}
			for id, st := range texts {
				ok := true
				for _, term := range terms {
					ok = ok && strings.Contains(st, term)
				}
				if ok {
					want[id] = true
				}
			}
			got := all(t, e.App, e.Reader, catalog.Query{Text: text})
			if len(got) != len(want) {
				t.Errorf("%q: %d results, want %d", text, len(got), len(want))
				continue
			}
			for _, id := range got {
				if !want[id] {
					t.Errorf("%q: found %s, whose search text does not contain it", text, id)
				}
			}
		}
	})
}
