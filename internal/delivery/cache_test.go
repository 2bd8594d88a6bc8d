package delivery_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync/atomic"
	"testing"

	"github.com/govshare/govshare/internal/app"
	"github.com/govshare/govshare/internal/application"
	"github.com/govshare/govshare/internal/auth"
	"github.com/govshare/govshare/internal/catalog"
	"github.com/govshare/govshare/internal/gateway"
	"github.com/govshare/govshare/internal/grant"
	"github.com/govshare/govshare/internal/problem"
	"github.com/govshare/govshare/internal/store"
	"github.com/govshare/govshare/internal/storetest"
	"github.com/govshare/govshare/internal/upstream"
)

// The service keeps grants, catalog entries and upstream endpoints in
// memory (cache.go). These tests change each of them and call again at
// once, on the same clock instant: the change must be seen by the very next
// call, or the cache served a stale value.

// served calls through a and returns the row, which must be delivered.
func (f *fixture) served(a *app.App) map[string]json.RawMessage {
	f.t.Helper()
	res, err := f.query(a, "姓名", "性别")
	if err != nil || len(res.Rows) != 1 {
		f.t.Fatalf("query: %v, %d rows; want the row", err, len(res.Rows))
	}
	return res.Rows[0]
}

// refused calls through a and wants the refusal code.
func (f *fixture) refused(a *app.App, code string) {
	f.t.Helper()
	if _, err := f.query(a, "姓名", "性别"); problem.CodeOf(err) != code {
		f.t.Fatalf("query: %v (code %q), want %s", err, problem.CodeOf(err), code)
	}
}

func (f *fixture) grantNow() grant.Grant {
	f.t.Helper()
	g, err := f.app.Grants.Get(f.ctx, f.as("gat.head"), f.grant.ID)
	if err != nil {
		f.t.Fatal(err)
	}
	return g
}

func TestGrantChangeSeenAtOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newFixture(t, s, application.ReplyRequest{})
		f.served(f.app)
		g, err := f.app.Grants.Suspend(f.ctx, f.as("gat.head"), f.grant.ID, grant.SuspendInput{Grounds: grant.OtherGrounds, Reasons: []string{"核查数据使用情况"}, Evidence: "核查记录", RectifyDays: 10, Version: f.grantNow().Version})
		if err != nil {
			t.Fatal(err)
		}
		f.refused(f.app, "grant.suspended")
		if _, err := f.app.Grants.Resume(f.ctx, f.as("gat.head"), g.ID, grant.ChangeInput{Reasons: []string{"核查完毕"}, Version: g.Version}); err != nil {
			t.Fatal(err)
		}
		f.served(f.app)
	})
}

// TestEntryChangeSeenAtOnce: the entry is published anew with 姓名 graded
// sensitive; the next call delivers it masked.
func TestEntryChangeSeenAtOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newFixture(t, s, application.ReplyRequest{})
		if row := f.served(f.app); string(row["姓名"]) != `"张三"` {
			t.Fatalf("姓名 %s, want it in clear (general L3)", row["姓名"])
		}
		entry := f.p.Entries["常住人口基本信息"]
		en, err := f.app.Catalog.Get(f.ctx, f.as("gat.staff"), entry)
		if err != nil {
			t.Fatal(err)
		}
		d := en.Draft
		d.Items = slices.Clone(d.Items)
		for i := range d.Items {
			if d.Items[i].Name == "姓名" {
				d.Items[i].Grade = catalog.GeneralL4
			}
		}
		assessed := en.Assessments
		if en, err = f.app.Catalog.Update(f.ctx, f.as("gat.staff"), entry, d, en.Version); err != nil {
			t.Fatal(err)
		}
		if en, err = f.app.Catalog.RecordAssessments(f.ctx, f.as("gat.head"), entry, assessed, en.Version); err != nil {
			t.Fatal(err)
		}
		if en, err = f.app.Catalog.Submit(f.ctx, f.as("gat.head"), entry, en.Version); err != nil {
			t.Fatal(err)
		}
		if en, err = f.app.Catalog.Publish(f.ctx, f.as("zj.reviewer"), entry, en.Version, ""); err != nil {
			t.Fatal(err)
		}
		if row := f.served(f.app); string(row["姓名"]) == `"张三"` {
			t.Fatal("姓名 delivered in clear after the entry graded it sensitive: the old schema was used")
		}
	})
}

// TestUpstreamChangeSeenAtOnce: registering an upstream endpoint for the
// entry forwards the very next call to it; disabling it serves the hosted
// row again.
func TestUpstreamChangeSeenAtOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newFixture(t, s, application.ReplyRequest{})
		keys, err := gateway.NewKeyring(make([]byte, 32))
		if err != nil {
			t.Fatal(err)
		}
		f.app.Gateway.UseKeyring(keys)
		var hits atomic.Int64
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			hits.Add(1)
			w.WriteHeader(http.StatusServiceUnavailable)
		}))
		defer srv.Close()
		f.served(f.app)
		r, err := f.app.Upstreams.Register(f.ctx, f.as("gat.staff"), upstream.NewEndpoint{EntryID: f.grant.EntryID, URL: srv.URL})
		if err != nil {
			t.Fatal(err)
		}
		f.refused(f.app, "upstream.bad_response")
		if hits.Load() != 1 {
			t.Fatalf("%d calls reached the upstream, want 1", hits.Load())
		}
		if _, err := f.app.Upstreams.Disable(f.ctx, f.as("gat.staff"), r.ID, upstream.Version{Version: r.Version}); err != nil {
			t.Fatal(err)
		}
		f.served(f.app)
		if hits.Load() != 1 {
			t.Fatalf("%d calls reached a disabled upstream", hits.Load()-1)
		}
	})
}

// TestOtherNodeChangeSeenWithinTTL: a grant suspended through another node
// is still served here from the cache at the same instant, and refused once
// gateway.CacheTTL has passed.
func TestOtherNodeChangeSeenWithinTTL(t *testing.T) {
	storetest.EachTwoNodes(t, func(t *testing.T, s, other *store.Store) {
		f := newFixture(t, s, application.ReplyRequest{})
		b := app.New(other, f.clock, auth.DefaultPolicy)
		f.served(f.app)
		if _, err := b.Grants.Suspend(f.ctx, f.as("gat.head"), f.grant.ID, grant.SuspendInput{Grounds: grant.OtherGrounds, Reasons: []string{"核查数据使用情况"}, Evidence: "核查记录", RectifyDays: 10, Version: f.grantNow().Version}); err != nil {
			t.Fatal(err)
		}
		// The other node sees it at once: its own write bumped its generation.
		f.refused(b, "grant.suspended")
		// This node does not yet: the cached grant is younger than the TTL.
		f.served(f.app)
		f.advance(gateway.CacheTTL)
		f.refused(f.app, "grant.suspended")
	})
}
