package usagerecord_test

import (
	"bytes"
	"encoding/csv"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/govshare/govshare/internal/calendar"
	"github.com/govshare/govshare/internal/ledger"
	"github.com/govshare/govshare/internal/problem/problemtest"
	"github.com/govshare/govshare/internal/store"
	"github.com/govshare/govshare/internal/storetest"
	"github.com/govshare/govshare/internal/usagerecord"
)

// exportFixture has 浙江省市场监督管理局 (scjg) record the use of a grant on
// 28 September and again, a revision, on 5 October; and 杭州市公安局 (hzga)
// record its own on 28 September.
type exportFixture struct {
	e           *env
	first, rev  usagerecord.Record
	foreign     usagerecord.Record
	scjg, hzga  string
	day1, day2  string
	formulaText string
}

func newExportFixture(t *testing.T, s *store.Store) *exportFixture {
	e := newEnv(t, s)
	f := &exportFixture{e: e, scjg: e.p.Departments["浙江省市场监督管理局"].ID, hzga: e.p.Departments["杭州市公安局"].ID,
		formulaText: "=HYPERLINK(\"http://example.invalid\")"}
	g := e.grant("scjg", true)
	in := e.input()
	in.Process = f.formulaText // typed by a consumer: must stay text
	f.first = e.add("scjg.staff", g, in)
	f.foreign = e.add("hzga.staff", e.grant("hzga", true), e.input())
	f.day1 = calendar.DateOf(e.clock.Now()).String()
	e.clock.Advance(7 * 24 * time.Hour)
	f.day2 = calendar.DateOf(e.clock.Now()).String()
	in = e.input()
	in.RecordID, in.Version, in.Destruction = f.first.ID, 1, "2026-10-05 已删除本地缓存"
	f.rev = e.add("scjg.head", g, in)
	return f
}

func (f *exportFixture) export(who string, req usagerecord.ExportRequest) ([]byte, error) {
	x, err := f.e.svc.PrepareExport(f.e.ctx, f.e.actor(who), req)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if _, err := x.WriteTo(f.e.ctx, &b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func readCSV(t *testing.T, b []byte) [][]string {
	t.Helper()
	body, ok := bytes.CutPrefix(b, []byte("\xEF\xBB\xBF"))
	if !ok {
		t.Fatalf("no UTF-8 byte-order mark: % x", b[:min(len(b), 8)])
	}
	rows, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func readXLSX(t *testing.T, b []byte, sheet string) [][]string {
	t.Helper()
	x, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	rows, err := x.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// The records export holds the department's revisions created in the
// period (from included, to excluded), with Chinese headers, in CSV with a
// byte-order mark and in XLSX; a consumer's text that looks like a formula
// stays text.
func TestExportRecords(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newExportFixture(t, s)
		e := f.e
		next := func(d string) string { x, _ := calendar.ParseDate(d); return x.AddDays(1).String() }
		req := usagerecord.ExportRequest{DepartmentID: f.scjg, What: usagerecord.WhatRecords, From: f.day1, To: next(f.day2)}

		b, err := f.export("zj.reviewer", req)
		if err != nil {
			t.Fatal(err)
		}
		rows := readCSV(t, b)
		if len(rows) != 3 || rows[0][0] != "记录编号" || rows[0][4] != "使用场景" || rows[0][8] != "销毁情况" {
			t.Fatalf("csv rows %q", rows)
		}
		if rows[1][0] != f.first.ID || rows[1][1] != "1" || rows[2][1] != "2" || rows[2][8] != f.rev.Destruction || rows[1][3] != "浙江省公安厅" {
			t.Errorf("csv rows %q", rows)
		}
		if rows[1][5] != "'"+f.formulaText {
			t.Errorf("a formula-like text was not defused: %q", rows[1][5])
		}
		if strings.Contains(string(b), f.foreign.ID) {
			t.Error("another department's record is in the export")
		}

		// The first day only: to is excluded.
		req.To = next(f.day1)
		req.Format = usagerecord.FormatXLSX
		b, err = f.export("scjg.head", req)
		if err != nil {
			t.Fatal(err)
		}
		rows = readXLSX(t, b, usagerecord.SheetRecords)
		if len(rows) != 2 || rows[0][1] != "版本" || rows[1][0] != f.first.ID || rows[1][5] != f.formulaText || rows[1][9] != f.day1 {
			t.Fatalf("xlsx rows %q", rows)
		}
		about := readXLSX(t, b, usagerecord.SheetAbout)
		if len(about) < 5 || about[0][1] != "浙江省市场监督管理局" || about[3][1] != f.day1 {
			t.Errorf("about sheet %q", about)
		}
		// An empty period gives the header alone.
		req.From, req.To, req.Format = "2020-01-01", "2020-02-01", ""
		b, err = f.export("audit", req)
		if err != nil {
			t.Fatal(err)
		}
		if rows := readCSV(t, b); len(rows) != 1 {
			t.Errorf("empty period: %q", rows)
		}
		// Each export is recorded, with no content.
		exports := e.events(ledger.Filter{Action: usagerecord.ActionExport, ObjectID: f.scjg})
		if len(exports) != 3 || exports[0].ActorID != e.p.Account("zj.reviewer").ID || exports[0].ObjectType != "department" {
			t.Errorf("export events %+v", exports)
		}
	})
}

// The events export holds the record of acts that concern the department in
// the period, in order.
func TestExportEvents(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newExportFixture(t, s)
		e := f.e
		req := usagerecord.ExportRequest{DepartmentID: f.scjg, What: usagerecord.WhatEvents, From: f.day2, To: "2026-10-06", Format: usagerecord.FormatXLSX}
		b, err := f.export("audit", req)
		if err != nil {
			t.Fatal(err)
		}
		rows := readXLSX(t, b, usagerecord.SheetEvents)
		if len(rows) < 2 || rows[0][0] != "序号" || rows[0][4] != "操作" {
			t.Fatalf("xlsx rows %q", rows)
		}
		// On day 2 scjg revised its record; the export itself is recorded
		// before it is written, so it is in it too.
		want := e.events(ledger.Filter{DepartmentID: f.scjg, From: time.Date(2026, 10, 5, 0, 0, 0, 0, calendar.Shanghai),
			To: time.Date(2026, 10, 6, 0, 0, 0, 0, calendar.Shanghai)})
		if len(rows) != len(want)+1 {
			t.Fatalf("%d rows for %d events", len(rows)-1, len(want))
		}
		actions := map[string]bool{}
		for i, ev := range want {
			r := rows[i+1]
			if r[0] != strconv.FormatInt(ev.Seq, 10) || r[4] != ev.Action || r[8] != ev.Digest {
				t.Errorf("row %d %q, event %+v", i+1, r, ev)
			}
			actions[ev.Action] = true
		}
		if !actions[usagerecord.ActionRevise] || !actions[usagerecord.ActionExport] || actions[usagerecord.ActionCreate] {
			t.Errorf("actions in the period: %v", actions)
		}
		req.Format = usagerecord.FormatCSV
		b, err = f.export("scjg.head", req)
		if err != nil {
			t.Fatal(err)
		}
		if rows := readCSV(t, b); len(rows) != len(want)+2 || rows[0][1] != "时间" { // plus this export's own event
			t.Errorf("csv rows %q", rows)
		}
	})
}

// Who may export: the authorities and auditors whose region holds the
// department, and its own office head; everyone else is refused and nothing
// is recorded. Bad parameters are refused naming the parameter.
func TestExportRightsAndParameters(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newExportFixture(t, s)
		e := f.e
		ok := usagerecord.ExportRequest{DepartmentID: f.hzga, What: usagerecord.WhatRecords, From: "2026-09-01", To: "2026-11-01"}
		for who, allowed := range map[string]bool{
			"hzga.head": true, "hz.reviewer": true, "zj.reviewer": true, "audit": true,
			"hzga.staff":  false, // office staff, not the head
			"gat.head":    false, // the provider's head: another department
			"nb.reviewer": false, "admin": false, "ops": false, "scjg.head": false,
		} {
			before := e.eventCount()
			_, err := f.export(who, ok)
			if allowed && err != nil {
				t.Errorf("%s: %v", who, err)
			}
			if !allowed {
				problemtest.Want(t, err, "auth.forbidden")
				if e.eventCount() != before {
					t.Errorf("%s: a refused export was recorded", who)
				}
			}
		}
		bad := []struct {
			edit        func(*usagerecord.ExportRequest)
			code, field string
		}{
			{func(r *usagerecord.ExportRequest) { r.DepartmentID = "" }, "inspection.parameter_required", "department_id"},
			{func(r *usagerecord.ExportRequest) { r.DepartmentID = "nope" }, "inspection.department_unknown", "department_id"},
			{func(r *usagerecord.ExportRequest) { r.What = "" }, "inspection.parameter_required", "what"},
			{func(r *usagerecord.ExportRequest) { r.What = "grants" }, "inspection.what_invalid", "what"},
			{func(r *usagerecord.ExportRequest) { r.Format = "pdf" }, "inspection.format_invalid", "format"},
			{func(r *usagerecord.ExportRequest) { r.From = "" }, "inspection.parameter_required", "from"},
			{func(r *usagerecord.ExportRequest) { r.From = "2026-13-01" }, "inspection.date_invalid", "from"},
			{func(r *usagerecord.ExportRequest) { r.To = "tomorrow" }, "inspection.date_invalid", "to"},
			{func(r *usagerecord.ExportRequest) { r.To = r.From }, "inspection.period_invalid", "to"},
		}
		before := e.eventCount()
		for _, c := range bad {
			req := ok
			c.edit(&req)
			_, err := f.export("zj.reviewer", req)
			problemtest.Want(t, err, c.code, c.field)
		}
		if e.eventCount() != before {
			t.Error("a refused export was recorded")
		}
	})
}
