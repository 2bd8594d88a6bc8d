package exchange_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/govshare/govshare/internal/app"
	"github.com/govshare/govshare/internal/application"
	"github.com/govshare/govshare/internal/auth"
	"github.com/govshare/govshare/internal/dataset"
	"github.com/govshare/govshare/internal/exchange"
	"github.com/govshare/govshare/internal/store"
)

// TestPullSurvivesRestart: the platform stops in the middle of a pull (its
// SQLite file closed and opened again by a new process's services); the
// consumer resumes from its last cursor and ends with the provider's data.
func TestPullSurvivesRestart(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "govshare.db")
	s, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, s)
	g := e.grantFor("gat", companies, granted, application.BatchExchange)
	var rows []dataset.Row
	for n := range 90 {
		rows = append(rows, company(n, 0))
	}
	e.replace("scjg.staff", companies, rows)
	c := e.caller("浙江省公安厅")
	rep := newReplica("统一社会信用代码", "企业名称")
	p, err := e.app.Exchange.Pull(ctx, c, exchange.PullRequest{GrantID: g.ID, Purpose: scenario, Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	rep.apply(t, decode(t, p))
	cursor := p.NextCursor
	e.load("scjg.staff", companies, []dataset.Row{company(10, 1), company(80, 1), company(200, 0)})

	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s2, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s2.Close() })
	e.s, e.app = s2, app.New(s2, e.clock.Now, auth.DefaultPolicy)
	for more := true; more; {
		p, err := e.app.Exchange.Pull(ctx, c, exchange.PullRequest{GrantID: g.ID, Purpose: scenario, Cursor: cursor, Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		rep.apply(t, decode(t, p))
		cursor, more = p.NextCursor, p.More
	}
	same(t, "after the restart", rep.rows, e.provider(companies, granted, rep.keys, nil))
}
