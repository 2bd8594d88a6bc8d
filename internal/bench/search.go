package bench

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/app"
	"github.com/govshare/govshare/internal/auth"
	"github.com/govshare/govshare/internal/catalog"
	"github.com/govshare/govshare/internal/demo"
	"github.com/govshare/govshare/internal/org"
	"github.com/govshare/govshare/internal/store"
)

// SearchEnv is a store with the demo province and a generated catalog, and
// a reader of another department who searches it.
type SearchEnv struct {
	App      *app.App
	Province *demo.Province
	Seed     CatalogSeed
	Reader   access.Actor
}

// SetupSearch loads the demo province into s and seeds n published entries
// over its departments.
func SetupSearch(ctx context.Context, s *store.Store, n int) (*SearchEnv, error) {
	a := app.New(s, demo.ReferenceClock, auth.DefaultPolicy)
	p, err := demo.Load(ctx, a)
	if err != nil {
		return nil, err
	}
	var depts []org.Department
	for _, d := range p.Departments {
		if d.Kind == org.KindDepartment {
			depts = append(depts, d)
		}
	}
	sort.Slice(depts, func(i, j int) bool { return depts[i].Name < depts[j].Name })
	seed, err := SeedCatalog(ctx, s, depts, n, 2026)
	if err != nil {
		return nil, err
	}
	acc := p.Account("hzga.staff")
	d := p.Departments[acc.Department]
	reader := access.Actor{PersonID: acc.ID, DepartmentID: d.ID, DivisionCode: d.DivisionCode, Roles: []access.Role{acc.Role}}
	return &SearchEnv{App: a, Province: p, Seed: seed, Reader: reader}, nil
}

// NamedQuery is one query of the measured mix.
type NamedQuery struct {
	Name  string
	Query catalog.Query
}

// Queries is the measured mix: full text of three or more characters (the
// trigram index on SQLite), of one or two characters (which no trigram can
// look up: the bigram index on SQLite), several words, filters alone and
// with text, and later pages.
func (e *SearchEnv) Queries(ctx context.Context) ([]NamedQuery, error) {
	gat := e.Province.Departments["浙江省公安厅"].ID
	qs := []NamedQuery{
		{"text 3+ 身份证", catalog.Query{Text: "身份证"}},
		{"text 3+ 统一社会信用代码", catalog.Query{Text: "统一社会信用代码"}},
		{"text 3+ rare 残疾人证", catalog.Query{Text: "残疾人证"}},
		{"text 2 户籍", catalog.Query{Text: "户籍"}},
		{"text 2 rare 资质", catalog.Query{Text: "资质"}},
		{"text 2 absent 火星", catalog.Query{Text: "火星"}},
		{"text 3+ absent 火星基地", catalog.Query{Text: "火星基地"}},
		{"text 1 证", catalog.Query{Text: "证"}},
		{"text 1 absent 火", catalog.Query{Text: "火"}},
		{"two words 身份证 婚姻", catalog.Query{Text: "身份证 婚姻"}},
		{"two words, short absent 身份证 火", catalog.Query{Text: "身份证 火"}},
		{"two words, short common 身份证 号", catalog.Query{Text: "身份证 号"}},
		{"text + attribute", catalog.Query{Text: "居民身份证号码", Attribute: catalog.Conditional}},
		{"text + region", catalog.Query{Text: "企业", Region: "330100"}},
		{"text + provider", catalog.Query{Text: "不动产", ProviderID: gat}},
		{"filter attribute", catalog.Query{Attribute: catalog.NotShareable}},
		{"filter region", catalog.Query{Region: "330200"}},
		{"filter provider", catalog.Query{ProviderID: gat}},
		{"filter method+grade", catalog.Query{Method: catalog.FileDownload, Grade: "important"}},
		{"no filter", catalog.Query{}},
	}
	// Later pages: follow the cursor of two queries to their third page.
	for _, base := range []NamedQuery{{"page 3 身份证", catalog.Query{Text: "身份证"}}, {"page 3 region", catalog.Query{Region: "330000"}}} {
		q := base.Query
		for range 2 {
			p, err := e.App.Catalog.Search(ctx, e.Reader, q)
			if err != nil {
				return nil, err
			}
			if p.NextCursor == "" {
				break
			}
			q.Cursor = p.NextCursor
		}
		qs = append(qs, NamedQuery{base.Name, q})
	}
	return qs, nil
}

// QueryLatency is the latency of one query of the mix.
type QueryLatency struct {
	Name     string
	Results  int // on the first run
	P50, P95 time.Duration
}

// LatencyResult is a latency measurement of catalog search.
type LatencyResult struct {
	Name          string
	Entries       int
	Samples       int
	P50, P95, P99 time.Duration
	Max           time.Duration
	Seeding       time.Duration
	ByQuery       []QueryLatency
}

func (r LatencyResult) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%-34s %7d entries %6d queries  p50 %8s  p95 %8s  p99 %8s  max %8s  (seeded in %s)",
		r.Name, r.Entries, r.Samples, r.P50.Round(time.Microsecond), r.P95.Round(time.Microsecond), r.P99.Round(time.Microsecond),
		r.Max.Round(time.Microsecond), r.Seeding.Round(time.Millisecond))
	for _, q := range r.ByQuery {
		fmt.Fprintf(&b, "\n    %-32s %4d hits  p50 %8s  p95 %8s", q.Name, q.Results, q.P50.Round(time.Microsecond), q.P95.Round(time.Microsecond))
	}
	return b.String()
}

// percentile of sorted durations (nearest rank).
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted))*p+0.999999) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

// Measure runs every query of the mix rounds times, one after another,
// through catalog.Service.Search, and reports the percentiles.
func (e *SearchEnv) Measure(ctx context.Context, name string, rounds int) (LatencyResult, error) {
	qs, err := e.Queries(ctx)
	if err != nil {
		return LatencyResult{}, err
	}
	per := make([][]time.Duration, len(qs))
	hits := make([]int, len(qs))
	var all []time.Duration
	for i, q := range qs { // warm the caches once
		p, err := e.App.Catalog.Search(ctx, e.Reader, q.Query)
		if err != nil {
			return LatencyResult{}, fmt.Errorf("%s: %w", q.Name, err)
		}
		hits[i] = len(p.Items)
	}
	for range rounds {
		for i, q := range qs {
			start := time.Now()
			if _, err := e.App.Catalog.Search(ctx, e.Reader, q.Query); err != nil {
				return LatencyResult{}, fmt.Errorf("%s: %w", q.Name, err)
			}
			d := time.Since(start)
			per[i] = append(per[i], d)
			all = append(all, d)
		}
	}
	slices.Sort(all)
	r := LatencyResult{Name: name, Entries: e.Seed.Entries, Samples: len(all), P50: percentile(all, 0.50), P95: percentile(all, 0.95),
		P99: percentile(all, 0.99), Seeding: e.Seed.Elapsed}
	if len(all) > 0 {
		r.Max = all[len(all)-1]
	}
	for i, q := range qs {
		slices.Sort(per[i])
		r.ByQuery = append(r.ByQuery, QueryLatency{Name: q.Name, Results: hits[i], P50: percentile(per[i], 0.5), P95: percentile(per[i], 0.95)})
	}
	return r, nil
}

// SearchLatency loads the demo province and n generated entries into s (a
// fresh, migrated store) and measures catalog search over them: what
// `govshare bench` reports for issue #3's target (p95 under 50 ms for
// 100,000 entries on SQLite).
func SearchLatency(ctx context.Context, s *store.Store, n, rounds int) (LatencyResult, error) {
	e, err := SetupSearch(ctx, s, n)
	if err != nil {
		return LatencyResult{}, err
	}
	return e.Measure(ctx, fmt.Sprintf("catalog search (%s)", s.Engine()), rounds)
}
