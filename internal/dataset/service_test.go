package dataset_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/app"
	"github.com/govshare/govshare/internal/auth"
	"github.com/govshare/govshare/internal/calendar"
	"github.com/govshare/govshare/internal/catalog"
	"github.com/govshare/govshare/internal/dataset"
	"github.com/govshare/govshare/internal/demo"
	"github.com/govshare/govshare/internal/ledger"
	"github.com/govshare/govshare/internal/problem"
	"github.com/govshare/govshare/internal/store"
	"github.com/govshare/govshare/internal/storetest"
)

// env is the demo province on one engine; 常住人口基本信息 is a published
// entry of 浙江省公安厅 (gat) keyed by 居民身份证号码 and 姓名.
type env struct {
	t     *testing.T
	s     *store.Store
	app   *app.App
	p     *demo.Province
	entry string
	ctx   context.Context
}

func newEnv(t *testing.T, s *store.Store) *env {
	t.Helper()
	now := func() time.Time { return time.Date(2026, 9, 28, 10, 0, 0, 0, calendar.Shanghai) }
	a := app.New(s, now, auth.DefaultPolicy)
	ctx := context.Background()
	p, err := demo.Load(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	return &env{t: t, s: s, app: a, p: p, entry: p.Entries["常住人口基本信息"], ctx: ctx}
}

func (e *env) actor(username string) access.Actor {
	e.t.Helper()
	var a *access.Actor
	id := e.p.Account(username).ID
	err := e.s.Read(e.ctx, func(tx *store.Tx) (err error) { a, err = tx.Actor(e.ctx, id); return err })
	if err != nil || a == nil {
		e.t.Fatalf("actor %s: %v", username, err)
	}
	return *a
}

var admin = access.Actor{Roles: []access.Role{access.PlatformAdmin}}

func (e *env) events(action string) int {
	e.t.Helper()
	evs, err := e.app.Ledger.Events(e.ctx, admin, ledger.Filter{ObjectType: "dataset", ObjectID: e.entry, Action: action, Limit: 500})
	if err != nil {
		e.t.Fatal(err)
	}
	return len(evs)
}

func (e *env) state() dataset.Dataset {
	e.t.Helper()
	d, err := e.app.Datasets.Get(e.ctx, e.actor("gat.staff"), e.entry)
	if err != nil {
		e.t.Fatal(err)
	}
	return d
}

func (e *env) feed(after int64) []dataset.Change {
	e.t.Helper()
	cs, err := e.app.Datasets.Changes(e.ctx, e.actor("gat.head"), e.entry, after, dataset.MaxChanges)
	if err != nil {
		e.t.Fatal(err)
	}
	return cs
}

func row(id, name string, extra ...string) dataset.Row {
	r := dataset.Row{"居民身份证号码": raw(id), "姓名": raw(name)}
	for i := 0; i+1 < len(extra); i += 2 {
		r[extra[i]] = json.RawMessage(extra[i+1])
	}
	return r
}

func raw(s string) json.RawMessage { b, _ := json.Marshal(s); return b }

func (e *env) load(who string, mode dataset.Mode, rows ...dataset.Row) (dataset.Result, error) {
	return e.app.Datasets.Load(e.ctx, e.actor(who), e.entry, dataset.Load{Mode: mode, Rows: rows})
}

func TestLoadUpsertDeleteAndFeed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		if d := e.state(); d.Version != 0 || d.RowCount != 0 || d.LastChange != 0 {
			t.Fatalf("fresh dataset %+v", d)
		}
		res, err := e.load("gat.staff", dataset.Upsert,
			row("330102199001011234", "张三", "性别", `"男"`, "出生日期", `"1990-01-01"`),
			row("330102199202022345", "李四", "民族", `"汉族"`))
		if err != nil {
			t.Fatal(err)
		}
		if res.Inserted != 2 || res.Version != 1 || res.FirstChange != 1 || res.LastChange != 2 || res.RowCount != 2 {
			t.Fatalf("first load %+v", res)
		}
		cs := e.feed(0)
		if len(cs) != 2 || cs[0].Seq != 1 || cs[1].Seq != 2 || cs[0].Op != dataset.OpUpsert {
			t.Fatalf("feed %+v", cs)
		}
		var data map[string]any
		if err := json.Unmarshal(cs[0].Data, &data); err != nil || data["出生日期"] != "1990-01-01" || data["性别"] != "男" {
			t.Errorf("row read back %s (%v)", cs[0].Data, err)
		}
		if string(cs[0].Key) != `{"姓名":"张三","居民身份证号码":"330102199001011234"}` {
			t.Errorf("key %s", cs[0].Key)
		}

		// Upsert: one update, one unchanged (no change number), one insert.
		res, err = e.load("gat.head", dataset.Upsert,
			row("330102199001011234", "张三", "性别", `"男"`, "出生日期", `"1990-01-02"`),
			row("330102199202022345", "李四", "民族", `"汉族"`),
			row("330102199303033456", "王五"))
		if err != nil {
			t.Fatal(err)
		}
		if res.Updated != 1 || res.Unchanged != 1 || res.Inserted != 1 || res.FirstChange != 3 || res.LastChange != 4 || res.RowCount != 3 || res.Version != 2 {
			t.Fatalf("upsert %+v", res)
		}
		if cs := e.feed(2); len(cs) != 2 || !strings.Contains(string(cs[0].Data), "1990-01-02") || cs[0].Version != 2 {
			t.Fatalf("feed after 2: %+v", cs)
		}

		// Deletion: a tombstone with a new change number; an absent key counted.
		res, err = e.app.Datasets.Delete(e.ctx, e.actor("gat.staff"), e.entry, dataset.Deletion{Keys: []dataset.Row{
			row("330102199202022345", "李四"), row("330102199909099999", "无此人")}})
		if err != nil {
			t.Fatal(err)
		}
		if res.Deleted != 1 || res.Absent != 1 || res.FirstChange != 5 || res.RowCount != 2 {
			t.Fatalf("delete %+v", res)
		}
		if cs := e.feed(4); len(cs) != 1 || cs[0].Seq != 5 || cs[0].Op != dataset.OpDelete || cs[0].Data != nil {
			t.Fatalf("tombstone %+v", cs)
		}

		// Reinsert after deletion is an insert; replace deletes the others.
		res, err = e.load("gat.staff", dataset.Replace, row("330102199202022345", "李四"))
		if err != nil {
			t.Fatal(err)
		}
		if res.Inserted != 1 || res.Deleted != 2 || res.RowCount != 1 || res.LastChange != 8 {
			t.Fatalf("replace %+v", res)
		}
		d := e.state()
		if d.Version != 4 || d.RowCount != 1 || d.LastChange != 8 || strings.Join(d.KeyItems, ",") != "居民身份证号码,姓名" {
			t.Errorf("state %+v", d)
		}
		if n := e.events("dataset.load"); n != 3 {
			t.Errorf("%d dataset.load events, want 3", n)
		}
		if n := e.events("dataset.delete"); n != 1 {
			t.Errorf("%d dataset.delete events, want 1", n)
		}
		// Stale version: refused.
		v := int64(1)
		if _, err := e.app.Datasets.Load(e.ctx, e.actor("gat.staff"), e.entry, dataset.Load{Mode: dataset.Upsert, Rows: []dataset.Row{row("1", "x")}, Version: &v}); !errors.Is(err, problem.ErrVersionConflict) {
			t.Errorf("stale version: %v", err)
		}
	})
}

func TestBadRowsAllReportedNothingWritten(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		if _, err := e.load("gat.staff", dataset.Upsert, row("330102199001011234", "张三")); err != nil {
			t.Fatal(err)
		}
		before, events := e.state(), e.events("dataset.load")
		_, err := e.load("gat.staff", dataset.Upsert,
			row("330102199202022345", "李四"),                                    // 0: good
			row("330102199303033456", "王五", "血型", `"A"`),                       // 1: unknown item
			dataset.Row{"姓名": raw("赵六")},                                       // 2: key item missing
			row("330102199404044567", "钱七", "出生日期", `"1994/04/04"`),            // 3: bad date
			row("330102199505055678", strings.Repeat("名", 51)),                 // 4: too long
			dataset.Row{"居民身份证号码": json.RawMessage(`330102`), "姓名": raw("孙八")}, // 5: number for C
			row("330102199202022345", "李四"),                                    // 6: duplicate of 0
		)
		var bad *dataset.InvalidRows
		if !errors.As(err, &bad) {
			t.Fatalf("err %v, want InvalidRows", err)
		}
		want := []string{"1 血型 dataset.item_unknown", "2 居民身份证号码 dataset.item_required", "3 出生日期 dataset.type_mismatch",
			"4 姓名 dataset.too_long", "5 居民身份证号码 dataset.type_mismatch", "6  dataset.key_duplicate"}
		var got []string
		for _, x := range bad.Errors {
			got = append(got, fmt.Sprintf("%d %s %s", x.Index, x.Item, x.Code))
			if strings.Contains(x.Detail, "1994/04/04") || strings.Contains(x.Detail, "330102") {
				t.Errorf("detail repeats the value: %s", x.Detail)
			}
		}
		if strings.Join(got, "; ") != strings.Join(want, "; ") {
			t.Errorf("errors\n got %v\nwant %v", got, want)
		}
		if after := e.state(); after.Version != before.Version || after.RowCount != before.RowCount || after.LastChange != before.LastChange {
			t.Errorf("refused load changed the dataset: %+v → %+v", before, after)
		}
		if cs := e.feed(0); len(cs) != 1 {
			t.Errorf("feed has %d changes after a refused load, want 1", len(cs))
		}
		if n := e.events("dataset.load"); n != events {
			t.Errorf("refused load wrote %d event(s)", n-events)
		}
		// Bad deletion keys are reported the same way.
		_, err = e.app.Datasets.Delete(e.ctx, e.actor("gat.staff"), e.entry, dataset.Deletion{Keys: []dataset.Row{{"姓名": raw("张三"), "性别": raw("男")}}})
		if !errors.As(err, &bad) || len(bad.Errors) != 2 {
			t.Errorf("bad keys: %v", err)
		}
		// Events carry counts only.
		evs, err := e.app.Ledger.Events(e.ctx, admin, ledger.Filter{ObjectType: "dataset", Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(evs)
		if strings.Contains(string(b), "330102") || strings.Contains(string(b), "张三") {
			t.Errorf("the record holds row contents: %s", b)
		}
	})
}

func TestWhoMayLoad(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		for _, who := range []string{"hzga.head", "hzga.staff", "scjg.staff", "scjg.head", "ops", "admin", "audit", "zj.reviewer"} {
			if _, err := e.load(who, dataset.Upsert, row("330102199001011234", "张三")); !problem.Is(err, problem.Forbidden) {
				t.Errorf("%s loads: %v, want forbidden", who, err)
			}
		}
		for _, who := range []string{"scjg.staff", "ops", "audit", "hzga.head"} {
			if _, err := e.app.Datasets.Get(e.ctx, e.actor(who), e.entry); !problem.Is(err, problem.Forbidden) {
				t.Errorf("%s reads: %v, want forbidden", who, err)
			}
			if _, err := e.app.Datasets.Changes(e.ctx, e.actor(who), e.entry, 0, 10); !problem.Is(err, problem.Forbidden) {
				t.Errorf("%s reads the feed: %v, want forbidden", who, err)
			}
		}
		if _, err := e.app.Datasets.Changes(e.ctx, admin, e.entry, 0, 10); err != nil {
			t.Errorf("admin reads the feed: %v", err)
		}
		// 暂住人口登记信息 is gat's, assessed but not yet published.
		draft := e.p.Entries["暂住人口登记信息"]
		_, err := e.app.Datasets.Load(e.ctx, e.actor("gat.staff"), draft, dataset.Load{Mode: dataset.Upsert, Rows: []dataset.Row{row("330102199001011234", "张三")}})
		if problem.CodeOf(err) != "dataset.entry_not_published" {
			t.Errorf("unpublished entry: %v", err)
		}
		if _, err := e.app.Datasets.Load(e.ctx, e.actor("hzga.staff"), draft, dataset.Load{Mode: dataset.Upsert, Rows: []dataset.Row{row("1", "x")}}); !problem.Is(err, problem.NotFound) {
			t.Errorf("another department's draft: %v, want not found", err)
		}
		if _, err := e.load("gat.staff", "merge", row("1", "x")); problem.CodeOf(err) != "dataset.mode_invalid" {
			t.Errorf("bad mode: %v", err)
		}
		if n := e.events("dataset.load"); n != 0 {
			t.Errorf("refused loads wrote %d events", n)
		}
	})
}

func TestConcurrentLoadsLoseNoChange(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		const loaders, each = 8, 5
		var wg sync.WaitGroup
		errs := make(chan error, loaders)
		for i := range loaders {
			wg.Add(1)
			go func() {
				defer wg.Done()
				var rows []dataset.Row
				for j := range each {
					rows = append(rows, row(fmt.Sprintf("3301021990%02d%06d", i, j), "并发"))
				}
				who := "gat.staff"
				if i%2 == 1 {
					who = "gat.head"
				}
				if _, err := e.load(who, dataset.Upsert, rows...); err != nil {
					errs <- err
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		cs := e.feed(0)
		if len(cs) != loaders*each {
			t.Fatalf("%d changes, want %d", len(cs), loaders*each)
		}
		for i, c := range cs {
			if c.Seq != int64(i+1) {
				t.Fatalf("change %d numbered %d: not gapless", i, c.Seq)
			}
		}
		if d := e.state(); d.Version != loaders || d.RowCount != loaders*each || d.LastChange != loaders*each {
			t.Errorf("state %+v", d)
		}
	})
}

func TestSchemaRules(t *testing.T) {
	if _, err := dataset.NewSchema(catalog.Version{Number: 1, Draft: catalog.Draft{Items: []catalog.Item{{Name: "名称", DataType: "C", Length: 10}}}}); problem.CodeOf(err) != "dataset.no_key_items" {
		t.Errorf("no key items: %v", err)
	}
	sc, err := dataset.NewSchema(catalog.Version{Number: 1, Draft: catalog.Draft{Items: []catalog.Item{
		{Name: "k", DataType: "I", IsKey: true}, {Name: "n", DataType: "N", Length: 4}, {Name: "f", DataType: "F"},
		{Name: "t", DataType: "T"}, {Name: "l", DataType: "L"}, {Name: "m", DataType: "M"}, {Name: "g", DataType: "G"},
		{Name: "r", DataType: "C", Required: true},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	good := dataset.Row{"k": json.RawMessage(`7`), "n": json.RawMessage(`12.5`), "f": json.RawMessage(`-1e3`), "t": raw("2026-09-28T10:00:00+08:00"),
		"l": json.RawMessage(`true`), "m": raw(strings.Repeat("长", 5000)), "g": raw("aGVsbG8="), "r": raw("x")}
	if _, err := sc.CheckRows("rows", []dataset.Row{good}); err != nil {
		t.Errorf("good row: %v", err)
	}
	for name, v := range map[string]string{"k": `7.5`, "n": `12345`, "f": `"1"`, "t": `"2026-09-28 10:00"`, "l": `1`, "g": `"%%"`} {
		r := dataset.Row{}
		for k, x := range good {
			r[k] = x
		}
		r[name] = json.RawMessage(v)
		_, err := sc.CheckRows("rows", []dataset.Row{r})
		var bad *dataset.InvalidRows
		if !errors.As(err, &bad) || len(bad.Errors) != 1 || bad.Errors[0].Item != name {
			t.Errorf("%s=%s: %v", name, v, err)
		}
	}
	r := dataset.Row{"k": json.RawMessage(`1`), "r": json.RawMessage(`null`)}
	if _, err := sc.CheckRows("rows", []dataset.Row{r}); err == nil {
		t.Error("null for a required item accepted")
	}
}
