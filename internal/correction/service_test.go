package correction_test

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/govshare/govshare/internal/calendar"
	"github.com/govshare/govshare/internal/correction"
	"github.com/govshare/govshare/internal/exchange"
	"github.com/govshare/govshare/internal/gateway"
	"github.com/govshare/govshare/internal/problem/problemtest"
	"github.com/govshare/govshare/internal/store"
	"github.com/govshare/govshare/internal/storetest"
)

// The whole procedure: the consumer files, the provider receives it at
// once with 10 working days to answer, fixes the row in the hosted dataset
// and answers corrected naming the change number. That change is in the
// entry's change feed, the consumer reads the answer, and the consumer's
// batch pull delivers the corrected row. Each act is in the ledger for both
// departments.
func TestCorrectedThroughTheChangeFeed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		cal, err := e.app.Calendar.Current(e.ctx)
		if err != nil {
			t.Fatal(err)
		}
		filedAt := e.clock.Now()
		r := e.file("hzscjg.head", e.request())
		due, err := cal.Due(calendar.DateOf(filedAt), correction.AnswerDays)
		if err != nil {
			t.Fatal(err)
		}
		if r.State != correction.Open || !r.ReceivedAt.Equal(filedAt) || r.Deadline == nil || r.Deadline.Due != due || r.Deadline.Receipt != calendar.DateOf(filedAt) ||
			r.ProviderID != e.grant.ProviderID || r.ConsumerID != e.grant.ConsumerID || r.EntryID != e.grant.EntryID || r.Version != 1 {
			t.Fatalf("filed request: %+v", r)
		}
		evs := e.events("correction", r.ID, correction.ActionFile)
		if len(evs) != 1 || evs[0].DepartmentID != e.grant.ConsumerID || evs[0].ObjectDepartmentID != e.grant.ProviderID {
			t.Fatalf("file events: %+v", evs)
		}

		e.clock.Advance(26 * 3600e9) // the next day
		seq := e.fix("沈二鸣")
		ans, err := e.svc.Answer(e.ctx, e.actor("scjg.staff"), r.ID, corrected(r.Version, seq))
		if err != nil {
			t.Fatal(err)
		}
		if ans.State != correction.Corrected || ans.Answer == nil || !ans.Answer.OnTime || !slices.Equal(ans.Answer.Changes, []int64{seq}) || ans.Version != 2 {
			t.Fatalf("answered: %+v %+v", ans, ans.Answer)
		}
		evs = e.events("correction", r.ID, correction.ActionAnswer)
		if len(evs) != 1 || evs[0].DepartmentID != e.grant.ProviderID || evs[0].ObjectDepartmentID != e.grant.ConsumerID {
			t.Fatalf("answer events: %+v", evs)
		}

		// The answer's change number is in the entry's change feed, and is
		// the corrected row.
		cs, err := e.app.Datasets.Changes(e.ctx, e.actor("scjg.staff"), e.grant.EntryID, seq-1, 1)
		if err != nil {
			t.Fatal(err)
		}
		var data map[string]any
		if len(cs) != 1 || cs[0].Seq != seq || json.Unmarshal(cs[0].Data, &data) != nil || data["法定代表人"] != "沈二鸣" {
			t.Fatalf("change %d in the feed: %+v", seq, cs)
		}

		// The consumer reads the answer.
		got, err := e.svc.Get(e.ctx, e.actor("hzscjg.head"), r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.State != correction.Corrected || got.Answer == nil || !slices.Equal(got.Answer.Changes, []int64{seq}) || got.Overdue {
			t.Fatalf("consumer reads %+v", got)
		}

		// The consumer's batch pull delivers the corrected row.
		c := gateway.Caller{SystemID: "sys-correction-test", DepartmentID: e.grant.ConsumerID, DivisionCode: e.grant.ConsumerDivision}
		legalRep := ""
		cursor := ""
		for range 20 {
			p, err := e.app.Exchange.Pull(e.ctx, c, exchange.PullRequest{GrantID: e.grant.ID, Purpose: e.grant.Purpose.Scenario, Cursor: cursor, Limit: 100})
			if err != nil {
				t.Fatal(err)
			}
			b, err := p.MarshalJSON()
			if err != nil {
				t.Fatal(err)
			}
			var page struct {
				Rows []struct {
					Op  string         `json:"op"`
					Row map[string]any `json:"row"`
				} `json:"rows"`
				NextCursor string `json:"next_cursor"`
				More       bool   `json:"more"`
			}
			if err := json.Unmarshal(b, &page); err != nil {
				t.Fatal(err)
			}
			for _, x := range page.Rows {
				if x.Op == "upsert" && x.Row["统一社会信用代码"] == "91330106MA2A000011" {
					legalRep, _ = x.Row["法定代表人"].(string)
				}
			}
			cursor = page.NextCursor
			if !page.More {
				break
			}
		}
		if legalRep != "沈二鸣" {
			t.Fatalf("the consumer's pull delivers 法定代表人 %q, want the corrected 沈二鸣", legalRep)
		}
	})
}

// A bad request is refused naming the field, and writes nothing: items
// must be data items of the entry and granted (住所 is, 注册资本 is not
// granted), rows and a description are required, the kind is one of two.
func TestBadRequestNamesTheField(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		before, events := e.requests(), e.eventCount()
		cases := []struct {
			edit        func(*correction.NewRequest)
			code, field string
		}{
			{func(in *correction.NewRequest) { in.Kind = "wrong" }, "correction.kind_invalid", "kind"},
			{func(in *correction.NewRequest) { in.Rows = nil }, "correction.required", "rows"},
			{func(in *correction.NewRequest) { in.Rows = []string{"a", " "} }, "correction.required", "rows[1]"},
			{func(in *correction.NewRequest) { in.Rows = []string{"a", "a"} }, "correction.duplicate", "rows[1]"},
			{func(in *correction.NewRequest) { in.Items = nil }, "correction.required", "items"},
			{func(in *correction.NewRequest) { in.Items = []string{"住所", "身高"} }, "correction.item_unknown", "items[1]"},
			{func(in *correction.NewRequest) { in.Items = []string{"注册资本"} }, "correction.item_not_granted", "items[0]"},
			{func(in *correction.NewRequest) { in.Description = "  " }, "correction.required", "description"},
			{func(in *correction.NewRequest) { in.GrantID = "" }, "correction.required", "grant_id"},
			{func(in *correction.NewRequest) { in.GrantID = "nope" }, "grant.not_found", "grant_id"},
		}
		for _, c := range cases {
			in := e.request()
			c.edit(&in)
			_, err := e.svc.File(e.ctx, e.actor("hzscjg.head"), in)
			problemtest.Want(t, err, c.code, c.field)
		}
		if e.requests() != before || e.eventCount() != events {
			t.Errorf("refused requests changed the store")
		}
		// A request naming other granted items is taken.
		in := e.request()
		in.Items = []string{"住所", "登记状态"}
		e.file("hzscjg.head", in)
	})
}

// Only the consumer's office files; the provider's office answers; the
// parties and the authorities and auditors above either read; nobody else
// finds the request. Refusals write nothing.
func TestWhoMayFileAnswerAndRead(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		events := e.eventCount()
		for who, code := range map[string]string{
			"scjg.head": "auth.forbidden", "scjg.staff": "auth.forbidden", // the provider
			"zj.reviewer": "auth.forbidden", "hz.reviewer": "auth.forbidden", "audit": "auth.forbidden", // supervisors
			"nb.reviewer": "grant.not_found", "gat.head": "grant.not_found", "admin": "grant.not_found", "ops": "grant.not_found",
		} {
			_, err := e.svc.File(e.ctx, e.actor(who), e.request())
			problemtest.Want(t, err, code)
		}
		if e.eventCount() != events {
			t.Fatal("refused filings wrote events")
		}
		r := e.file("hzscjg.head", e.request())
		for _, who := range []string{"hzscjg.head", "scjg.head", "scjg.staff", "zj.reviewer", "hz.reviewer", "audit"} {
			if _, err := e.svc.Get(e.ctx, e.actor(who), r.ID); err != nil {
				t.Errorf("%s reads: %v", who, err)
			}
		}
		for _, who := range []string{"nb.reviewer", "gat.head", "admin", "ops"} {
			_, err := e.svc.Get(e.ctx, e.actor(who), r.ID)
			problemtest.Want(t, err, "correction.not_found")
		}
		seq := e.fix("沈二鸣")
		for who, code := range map[string]string{"hzscjg.head": "auth.forbidden", "zj.reviewer": "auth.forbidden", "gat.head": "correction.not_found"} {
			_, err := e.svc.Answer(e.ctx, e.actor(who), r.ID, corrected(r.Version, seq))
			problemtest.Want(t, err, code)
		}
		// Listings: each party sees it in its role, the other role not.
		for who, role := range map[string]string{"hzscjg.head": "consumer", "scjg.staff": "provider"} {
			rs, err := e.svc.List(e.ctx, e.actor(who), correction.Filter{Role: role})
			if err != nil || !slices.ContainsFunc(rs, func(x correction.Request) bool { return x.ID == r.ID }) {
				t.Errorf("%s lists as %s: %v %d", who, role, err, len(rs))
			}
		}
		rs, err := e.svc.List(e.ctx, e.actor("scjg.staff"), correction.Filter{Role: "consumer"})
		if err != nil || slices.ContainsFunc(rs, func(x correction.Request) bool { return x.ID == r.ID }) {
			t.Errorf("the provider lists the request as consumer: %v", err)
		}
		rs, err = e.svc.List(e.ctx, e.actor("nb.reviewer"), correction.Filter{})
		if err != nil || slices.ContainsFunc(rs, func(x correction.Request) bool { return x.ID == r.ID }) {
			t.Errorf("宁波's authority lists a request between 杭州 and the province: %v", err)
		}
		for _, who := range []string{"admin", "ops"} {
			_, err := e.svc.List(e.ctx, e.actor(who), correction.Filter{})
			problemtest.Want(t, err, "auth.forbidden")
		}
	})
}
