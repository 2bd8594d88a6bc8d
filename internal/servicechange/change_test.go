package servicechange_test

import (
	"strings"
	"testing"
	"time"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/calendar"
	"github.com/govshare/govshare/internal/problem/problemtest"
	"github.com/govshare/govshare/internal/servicechange"
)

// The proposal's rules, without a database: each bad field is named.
func TestProposalClean(t *testing.T) {
	today := calendar.Date{Year: 2026, Month: 11, Day: 9}
	methods := []string{"service_interface", "batch_exchange"}
	ok := servicechange.Proposal{EntryID: "e", Kind: servicechange.Modify, Reason: " 理由 ", EffectiveDate: "2026-11-09",
		Changes: servicechange.Changes{ItemsRemoved: []string{"姓名", "姓名"}, DeliveryMethod: "batch_exchange", Description: "改为批量交换"}}
	p, err := ok.Clean(items, methods, today)
	if err != nil {
		t.Fatal(err)
	}
	if p.Reason != "理由" || len(p.Changes.ItemsRemoved) != 1 {
		t.Fatalf("not normalised: %+v", p)
	}
	cases := []struct {
		name        string
		edit        func(*servicechange.Proposal)
		code, field string
	}{
		{"no kind", func(p *servicechange.Proposal) { p.Kind = "" }, "service_change.kind_invalid", "kind"},
		{"reason too long", func(p *servicechange.Proposal) { p.Reason = strings.Repeat("理", 2001) }, "service_change.too_long", "reason"},
		{"no date", func(p *servicechange.Proposal) { p.EffectiveDate = "" }, "service_change.effective_date_required", "effective_date"},
		{"bad date", func(p *servicechange.Proposal) { p.EffectiveDate = "2026-11-31" }, "service_change.effective_date_invalid", "effective_date"},
		{"no description", func(p *servicechange.Proposal) { p.Changes.Description = " " }, "service_change.description_required", "changes.description"},
		{"unknown item", func(p *servicechange.Proposal) { p.Changes.ItemsRemoved = []string{"姓名", "手机号"} },
			"service_change.item_unknown", "changes.items_removed[1]"},
		{"every item", func(p *servicechange.Proposal) { p.Changes.ItemsRemoved = items }, "service_change.all_items_removed", "changes.items_removed"},
		{"method not offered", func(p *servicechange.Proposal) { p.Changes.DeliveryMethod = "file_download" },
			"service_change.delivery_method_invalid", "changes.delivery_method"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := ok
			in.Changes.ItemsRemoved = append([]string(nil), ok.Changes.ItemsRemoved...)
			tc.edit(&in)
			_, err := in.Clean(items, methods, today)
			problemtest.Want(t, err, tc.code, tc.field)
		})
	}
}

// The state machine alone: consultation closes on the last answer or at the
// deadline, and a change takes effect only once acknowledged and due.
func TestStateMachine(t *testing.T) {
	now := time.Date(2026, 11, 9, 10, 0, 0, 0, calendar.Shanghai)
	head := access.Actor{PersonID: "p", DepartmentID: "c1", Roles: []access.Role{access.OfficeHead}}
	c := servicechange.ServiceChange{State: servicechange.Consulting, EffectiveDate: "2026-11-20",
		Consultation: calendar.Deadline{Due: calendar.Date{Year: 2026, Month: 11, Day: 23}, At: time.Date(2026, 11, 24, 0, 0, 0, 0, calendar.Shanghai)},
		Consumers:    []servicechange.Consumer{{DepartmentID: "c1"}, {DepartmentID: "c2"}}}
	if c.ConsultationClosed(now) {
		t.Fatal("closed with no answer before the deadline")
	}
	if err := c.Answer(head, servicechange.Agree, "", now); err != nil {
		t.Fatal(err)
	}
	if c.ConsultationClosed(now) || !c.ConsultationClosed(c.Consultation.At.Add(time.Second)) {
		t.Fatal("closing by the deadline")
	}
	problemtest.Want(t, c.File(head, "", now, calendar.Deadline{}), "service_change.consultation_open")
	late := c.Consultation.At.Add(time.Hour)
	if err := c.File(head, "", late, calendar.Deadline{}); err != nil {
		t.Fatal(err)
	}
	if c.Consumers[1].Answer == nil || c.Consumers[1].Answer.Position != servicechange.NoAnswer {
		t.Fatalf("the silent consumer: %+v", c.Consumers[1].Answer)
	}
	problemtest.Want(t, c.TakeEffect(head, nil, late), "service_change.wrong_state")
	if err := c.Acknowledge(head, "", late); err != nil {
		t.Fatal(err)
	}
	c.EffectiveDate = "2026-12-31"
	problemtest.Want(t, c.TakeEffect(head, nil, late), "service_change.not_yet_effective")
	c.EffectiveDate = calendar.DateOf(late).String()
	if err := c.TakeEffect(head, []string{"g"}, late); err != nil || c.State != servicechange.Effective {
		t.Fatalf("take effect: %v %s", err, c.State)
	}
	problemtest.Want(t, c.Withdraw(head, "x", late), "service_change.wrong_state")
}
