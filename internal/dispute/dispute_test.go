package dispute

import (
	"testing"
	"time"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/calendar"
	"github.com/govshare/govshare/internal/problem"
)

// Monday 28 September 2026 10:00, Beijing: the National Day holidays
// (1–8 October 2026) fall inside the first period.
var t0 = time.Date(2026, 9, 28, 10, 0, 0, 0, calendar.Shanghai)

func fresh(t *testing.T) *Dispute {
	t.Helper()
	d := &Dispute{ID: "d1", Version: 1, State: Negotiating, Matter: "接口调用频次",
		Consumer:  Party{DepartmentID: "c"},
		Provider:  Party{DepartmentID: "p"},
		Authority: Authority{DepartmentID: "auth", DivisionCode: "330000"}}
	if err := d.startStage(calendar.Builtin(), Negotiation, t0, "c", "p"); err != nil {
		t.Fatal(err)
	}
	if err := d.add(t0, consumer, "claim", "每日上限不足"); err != nil {
		t.Fatal(err)
	}
	return d
}

var (
	consumer  = who{"pc", "c", roleConsumer}
	provider  = who{"pp", "p", roleProvider}
	authority = who{"pa", "auth", roleAuthority}
)

func code(t *testing.T, err error, want string) {
	t.Helper()
	if got := problem.CodeOf(err); got != want {
		t.Fatalf("error %v, want code %q", err, want)
	}
}

// The stage deadlines count working days on the official calendar: the
// negotiation's 10 WD from Monday 28 September 2026 skip the National Day
// holidays and end on 16 October (9 and 10 October are make-up working days).
func TestStageDeadlines(t *testing.T) {
	d := fresh(t)
	if got := d.Stages[0].Deadline.Due.String(); got != "2026-10-16" {
		t.Errorf("negotiation due %s, want 2026-10-16", got)
	}
	if d.Stages[0].Deadline.Days != NegotiationDays {
		t.Errorf("days %d", d.Stages[0].Deadline.Days)
	}
	cal := calendar.Builtin()
	at := time.Date(2026, 11, 2, 9, 0, 0, 0, calendar.Shanghai) // Monday
	if err := d.FailNegotiation(cal, at, consumer, "对方拒绝调整"); err != nil {
		t.Fatal(err)
	}
	c := d.Current()
	if c.Stage != Coordination || c.Deadline.Due.String() != "2026-11-30" || c.Deadline.Days != CoordinationDays {
		t.Errorf("coordination stage %+v", c)
	}
	if c.ActorIDs[0] != "auth" {
		t.Errorf("coordination acted by %v", c.ActorIDs)
	}
}

// The whole procedure: negotiation fails, coordination fails, the
// government decides; nothing follows a decision.
func TestProcedureToDecision(t *testing.T) {
	cal := calendar.Builtin()
	d := fresh(t)
	at := t0.Add(time.Hour)
	// Negotiation comes first: the respondent has said nothing yet and the
	// negotiation period runs.
	code(t, d.FailNegotiation(cal, at, consumer, "协商不成"), "dispute.not_negotiated")
	if d.State != Negotiating || len(d.Records) != 1 {
		t.Fatalf("a refused application changed the dispute: %s %d", d.State, len(d.Records))
	}
	if err := d.Position(at, provider, "频次上限由安全评估确定"); err != nil {
		t.Fatal(err)
	}
	// The authority has nothing to say in the parties' negotiation.
	code(t, d.Position(at, authority, "意见"), "dispute.wrong_state")
	code(t, d.Coordinate(cal, at, authority, true, "意见", "一致"), "dispute.wrong_state")
	code(t, d.Decide(at, authority, Decision{Text: "x"}), "dispute.wrong_state")
	if err := d.FailNegotiation(cal, at, consumer, "协商不成"); err != nil {
		t.Fatal(err)
	}
	if d.State != Coordinating || d.Stages[0].Outcome != OutcomeFailed || d.Stages[0].EndedAt == nil {
		t.Fatalf("after failing: %s %+v", d.State, d.Stages[0])
	}
	// Parties may no longer agree on their own, nor apply twice.
	code(t, d.Propose(at, consumer, "一致"), "dispute.wrong_state")
	code(t, d.Confirm(at, provider), "dispute.wrong_state")
	code(t, d.FailNegotiation(cal, at, provider, "again"), "dispute.wrong_state")
	if err := d.Position(at, consumer, "补充说明"); err != nil {
		t.Fatal(err)
	}
	if err := d.Coordinate(cal, at, authority, false, "双方分歧在于安全评估", "报省政府决定"); err != nil {
		t.Fatal(err)
	}
	if d.State != Referred || d.Current().Stage != GovernmentDecision || d.Stages[1].Outcome != OutcomeFailed {
		t.Fatalf("after coordination: %s", d.State)
	}
	code(t, d.Position(at, consumer, "x"), "dispute.wrong_state")
	if err := d.Decide(at, authority, Decision{Text: "按评估结论执行", DocumentNumber: "浙政函〔2026〕1号", DecidedOn: "2026-09-28"}); err != nil {
		t.Fatal(err)
	}
	if d.State != Decided || d.Decision == nil || d.Current() != nil || d.Stages[2].Outcome != OutcomeDecided {
		t.Fatalf("after decision: %s %+v", d.State, d.Decision)
	}
	// Past the top: no stage follows a decision.
	code(t, d.FailNegotiation(cal, at, consumer, "不服"), "dispute.no_further_stage")
	code(t, d.Coordinate(cal, at, authority, false, "x", "y"), "dispute.no_further_stage")
	code(t, d.Decide(at, authority, Decision{Text: "again"}), "dispute.closed")
	code(t, d.Position(at, consumer, "x"), "dispute.closed")
	kinds := ""
	for _, r := range d.Records {
		kinds += r.Kind + " "
	}
	if kinds != "claim position failure position opinion referral decision " {
		t.Errorf("record kinds %q", kinds)
	}
}

// A negotiated agreement takes both parties: one proposes, the other
// confirms (resolved) or rejects (negotiation goes on); neither answers its
// own proposal, and a pending proposal must be answered before the other
// party proposes.
func TestAgreementNeedsTheOtherParty(t *testing.T) {
	cal := calendar.Builtin()
	d := fresh(t)
	code(t, d.Confirm(t0, provider), "dispute.no_proposal")
	code(t, d.Reject(t0, provider, "不同意"), "dispute.no_proposal")
	if err := d.Propose(t0, provider, "每日上限调至1万次"); err != nil {
		t.Fatal(err)
	}
	if d.State != Negotiating || d.Agreement != nil || d.Proposal == nil || d.Proposal.As != roleProvider {
		t.Fatalf("a proposal closed the dispute: %s %+v", d.State, d.Agreement)
	}
	code(t, d.Confirm(t0, provider), "dispute.own_proposal")
	code(t, d.Reject(t0, provider, "x"), "dispute.own_proposal")
	code(t, d.Propose(t0, consumer, "调至2万次"), "dispute.proposal_pending")
	if err := d.Reject(t0, consumer, "1万次仍不能满足窗口需求"); err != nil {
		t.Fatal(err)
	}
	if d.State != Negotiating || d.Proposal != nil {
		t.Fatalf("after rejection: %s %+v", d.State, d.Proposal)
	}
	// The consumer counter-proposes and revises its proposal; the provider
	// confirms: the revised text is the agreement.
	if err := d.Propose(t0, consumer, "每日上限调至2万次"); err != nil {
		t.Fatal(err)
	}
	if err := d.Propose(t0, consumer, "每日上限调至1.5万次"); err != nil {
		t.Fatalf("the proposer could not revise its proposal: %v", err)
	}
	if err := d.Confirm(t0, provider); err != nil {
		t.Fatal(err)
	}
	if d.State != Resolved || d.Agreement == nil || d.Agreement.Text != "每日上限调至1.5万次" || d.Agreement.As != roleConsumer ||
		d.Proposal != nil || d.Stages[0].Outcome != OutcomeAgreed {
		t.Fatalf("%s %+v", d.State, d.Agreement)
	}
	kinds := ""
	for _, r := range d.Records {
		kinds += r.Kind + " "
	}
	if kinds != "claim proposal rejection proposal proposal confirmation " {
		t.Errorf("record kinds %q", kinds)
	}
	code(t, d.FailNegotiation(cal, t0, consumer, "x"), "dispute.closed")
	code(t, d.Reject(t0, consumer, "x"), "dispute.closed")

	// A proposal left pending lapses when a party applies for coordination.
	d = fresh(t)
	_ = d.Position(t0, provider, "不同意")
	_ = d.Propose(t0, provider, "分批提供")
	if err := d.FailNegotiation(cal, t0, consumer, "协商不成"); err != nil {
		t.Fatal(err)
	}
	if d.Proposal != nil {
		t.Fatalf("proposal outlived negotiation: %+v", d.Proposal)
	}
	code(t, d.Confirm(t0, consumer), "dispute.wrong_state")
	// In coordination the authority records the agreement reached.
	if err := d.Coordinate(cal, t0, authority, true, "协调意见", "双方同意分批提供"); err != nil {
		t.Fatal(err)
	}
	if d.State != Resolved || d.Agreement.Text != "双方同意分批提供" || d.Stages[1].Outcome != OutcomeAgreed || len(d.Stages) != 2 {
		t.Fatalf("coordinated agreement: %s %+v", d.State, d.Stages)
	}
}

// A party may apply for coordination once each party has said something in
// negotiation, or, with a silent respondent, once the negotiation period
// (due 16 October 2026) has run out — not on its last day.
func TestCoordinationAfterNegotiation(t *testing.T) {
	cal := calendar.Builtin()
	d := fresh(t)
	due := time.Date(2026, 10, 16, 23, 0, 0, 0, calendar.Shanghai)
	code(t, d.FailNegotiation(cal, due, consumer, "对方不回应"), "dispute.not_negotiated")
	if err := d.FailNegotiation(cal, due.Add(2*time.Hour), consumer, "对方逾期不回应"); err != nil {
		t.Fatalf("after the negotiation period: %v", err)
	}
	d = fresh(t)
	_ = d.Position(t0, consumer, "补充说明") // the opener alone, twice
	code(t, d.FailNegotiation(cal, t0, provider, "x"), "dispute.not_negotiated")
	if err := d.Reject(t0, provider, "x"); problem.CodeOf(err) != "dispute.no_proposal" {
		t.Fatal(err)
	}
	_ = d.Propose(t0, provider, "分批提供") // a proposal is the respondent's word too
	if err := d.FailNegotiation(cal, t0, provider, "协商不成"); err != nil {
		t.Fatal(err)
	}
}

func TestRecordIsBounded(t *testing.T) {
	d := fresh(t)
	for len(d.Records) < MaxRecords {
		if err := d.Position(t0, consumer, "x"); err != nil {
			t.Fatal(err)
		}
	}
	code(t, d.Position(t0, consumer, "x"), "dispute.record_full")
}

func TestPolicy(t *testing.T) {
	d := fresh(t)
	d.Authority.DivisionCode = "330100"
	in := func(outer, inner string) (bool, error) {
		return inner == outer || (outer == "330000" && inner == "330100"), nil
	}
	for _, c := range []struct {
		name string
		a    access.Actor
		read bool
		role string
		co   bool
	}{
		{"consumer staff", access.Actor{DepartmentID: "c", Roles: []access.Role{access.OfficeStaff}}, true, roleConsumer, false},
		{"provider head", access.Actor{DepartmentID: "p", Roles: []access.Role{access.OfficeHead}}, true, roleProvider, false},
		{"coordinating reviewer", access.Actor{DepartmentID: "auth", DivisionCode: "330100", Roles: []access.Role{access.AuthorityReviewer}}, true, "", true},
		{"reviewer above reads, does not act", access.Actor{DepartmentID: "zj", DivisionCode: "330000", Roles: []access.Role{access.AuthorityReviewer}}, true, "", false},
		{"auditor above", access.Actor{DepartmentID: "sj", DivisionCode: "330000", Roles: []access.Role{access.Auditor}}, true, "", false},
		{"reviewer elsewhere", access.Actor{DepartmentID: "nb", DivisionCode: "330200", Roles: []access.Role{access.AuthorityReviewer}}, false, "", false},
		{"third department", access.Actor{DepartmentID: "x", Roles: []access.Role{access.OfficeHead}}, false, "", false},
		{"admin", access.Actor{Roles: []access.Role{access.PlatformAdmin}}, false, "", false},
	} {
		ok, err := CanRead(c.a, d, in)
		if err != nil || ok != c.read || PartyRole(c.a, d) != c.role || IsCoordinator(c.a, d) != c.co {
			t.Errorf("%s: read %v role %q coordinator %v", c.name, ok, PartyRole(c.a, d), IsCoordinator(c.a, d))
		}
	}
}

// A platform default refuses nothing: a stage whose period runs into a year
// the calendar does not know yet starts without a deadline, which is
// counted once the calendar knows the year.
func TestDeadlineIntoUnknownYear(t *testing.T) {
	cal := calendar.Builtin()
	last := cal.Years()[len(cal.Years())-1]
	d := fresh(t)
	late := time.Date(last, 12, 20, 10, 0, 0, 0, calendar.Shanghai)
	if err := d.FailNegotiation(cal, late, consumer, "协商不成"); err != nil {
		t.Fatalf("an unknown year refused the act: %v", err)
	}
	if c := d.Current(); c.Deadline != nil || c.Days != CoordinationDays {
		t.Fatalf("coordination into %d: deadline %+v", last+1, c.Deadline)
	}
	if err := d.Fill(cal); err != nil || d.Current().Deadline != nil {
		t.Fatalf("fill on the same calendar: %v %+v", err, d.Current().Deadline)
	}
	// The negotiation's deadline, dropped, is counted again by Fill.
	d.Stages[0].Deadline = nil
	if err := d.Fill(cal); err != nil || d.Stages[0].Deadline == nil || d.Stages[0].Deadline.Due.String() != "2026-10-16" {
		t.Fatalf("fill: %v %+v", err, d.Stages[0].Deadline)
	}
	// A to-do without a deadline is still listed, undated.
	items := TodoItems(access.Actor{DepartmentID: "auth", Roles: []access.Role{access.AuthorityReviewer}}, []Dispute{*d}, cal, calendar.DateOf(late))
	if len(items) != 1 || items[0].Due != nil || items[0].Kind != TodoCoordinate {
		t.Fatalf("to-do %+v", items)
	}
}
