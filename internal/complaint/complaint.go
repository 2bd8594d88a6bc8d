// Package complaint handles the complaints and reports of Art. 37
// (投诉举报): a citizen, legal person or other organisation who finds that
// government data sharing infringed their lawful rights complains to the
// platform without an account; the department complained about (its
// sharing office) handles the complaint and answers it in time
// ("按照规定及时处理"), or transfers it to the department that should.
//
// The complainant follows the case with a receipt code shown once at
// filing; the platform keeps only the code's SM3 digest. The complainant's
// name and contact are personal data: only the handling department's
// sharing office and the authorities above it read them, and neither the
// ledger nor any listing for others carries them.
package complaint

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/govshare/govshare/internal/calendar"
	"github.com/govshare/govshare/internal/problem"
)

// AnswerDays is the platform's default period to answer a complaint: 15
// working days from its receipt by the department handling it (收到之日起,
// the day of receipt not counted). The regulation leaves the period to
// "the rules" (按照规定); 15 WD follows the common period of the
// provincial public-data rules and of 12345 hotline work orders. A
// transfer starts the new department's own period.
const AnswerDays = 15

// MaxTransfers bounds the hand-overs of one complaint. Each transfer
// starts the new department's own AnswerDays, so departments passing a
// complaint back and forth would keep it off every overdue list; after
// MaxTransfers the department holding it must answer it (and the
// authorities see it overdue if it does not).
const MaxTransfers = 3

// Kind is who complains (Art. 37: 公民、法人和其他组织).
type Kind string

const (
	Citizen           Kind = "citizen"            // 公民
	LegalPerson       Kind = "legal_person"       // 法人
	OtherOrganisation Kind = "other_organisation" // 其他组织
)

func (k Kind) valid() bool { return k == Citizen || k == LegalPerson || k == OtherOrganisation }

// State is where a complaint stands. Received and Handling are open;
// Answered is final. A transfer keeps the complaint open: it is Received
// again, at the new department.
type State string

const (
	Received State = "received" // 已收到, waiting for the department
	Handling State = "handling" // 处理中: the department accepted it
	Answered State = "answered" // 已答复: findings and measures given; closed
)

// Open reports whether the complaint still waits for an answer.
func (s State) Open() bool { return s == Received || s == Handling }

// Field bounds: enough for a page of facts, small enough that a flood of
// complaints cannot fill the database quickly.
const (
	MaxNameRunes    = 100
	MaxContactRunes = 100
	MaxTextRunes    = 2000
	MaxRefRunes     = 100
	MaxReasonRunes  = 1000
)

// Complainant is who filed: personal data.
type Complainant struct {
	Kind    Kind   `json:"kind"`
	Name    string `json:"name"`
	Contact string `json:"contact"` // a phone number or an e-mail address
}

// Answer is the department's answer: what it found and what it did.
type Answer struct {
	Findings   string    `json:"findings"`    // 调查核实情况
	Measures   string    `json:"measures"`    // 处理措施
	AnsweredAt time.Time `json:"answered_at"` //
	AnsweredBy string    `json:"answered_by"` // person ID
}

// Transfer is one hand-over to the department that should handle the
// complaint, with the reasons.
type Transfer struct {
	FromID string    `json:"from_id"`
	ToID   string    `json:"to_id"`
	Reason string    `json:"reason"`
	At     time.Time `json:"at"`
	By     string    `json:"by"` // person ID
}

// Complaint is one complaint as its handlers read it.
type Complaint struct {
	ID      string `json:"id"`
	Version int64  `json:"version"`
	State   State  `json:"state"`

	Complainant Complainant `json:"complainant"`
	// DepartmentID is the department complained about, as filed;
	// HandlerID the department that handles the complaint now (the same
	// until a transfer), HandlerDivision its division.
	DepartmentID    string `json:"department_id"`
	HandlerID       string `json:"handler_id"`
	HandlerDivision string `json:"handler_division"`
	Facts           string `json:"facts"`               // 事情经过
	Rights          string `json:"rights"`              // 受到侵犯的合法权益
	Reference       string `json:"reference,omitempty"` // e.g. an application ID

	FiledAt time.Time `json:"filed_at"`
	// ReceivedOn is the day (Beijing) the handler received the complaint:
	// the filing, or the last transfer. Deadline counts AnswerDays from it;
	// it is nil while the count runs into a year whose holiday notice is not
	// imported yet (late December), and is counted when read once it is.
	ReceivedOn calendar.Date      `json:"received_on"`
	Deadline   *calendar.Deadline `json:"deadline,omitempty"`
	AcceptedAt *time.Time         `json:"accepted_at,omitempty"`
	Answer     *Answer            `json:"answer,omitempty"`
	Transfers  []Transfer         `json:"transfers"`
	UpdatedAt  time.Time          `json:"updated_at"`

	// Overdue and WorkingDaysLeft are as of the reading, for open complaints.
	Overdue         bool `json:"overdue"`
	WorkingDaysLeft *int `json:"working_days_left,omitempty"`

	// CodeDigest is the SM3 digest of the receipt code; never shown.
	CodeDigest string `json:"-"`
}

// Input is what a complainant files.
type Input struct {
	ComplainantKind Kind   `json:"complainant_kind"`
	Name            string `json:"name"`
	Contact         string `json:"contact"`
	DepartmentID    string `json:"department_id"`
	Facts           string `json:"facts"`
	Rights          string `json:"rights"`
	Reference       string `json:"reference,omitempty"`
}

// textRule is one free-text field's bounds.
type textRule struct {
	field, name string
	v           *string
	required    bool
	max         int
}

// checkTexts trims each field and checks it is present, valid UTF-8, free
// of control characters other than line breaks, and within its bound.
func checkTexts(rules []textRule) error {
	for _, t := range rules {
		*t.v = strings.TrimSpace(*t.v)
		switch {
		case *t.v == "" && t.required:
			return problem.Field(t.field, "complaint.required", t.name+"不能为空", t.field+" is required")
		case !utf8.ValidString(*t.v):
			return problem.Field(t.field, "complaint.text_invalid", t.name+"含有无效字符", t.field+" is not valid UTF-8")
		case utf8.RuneCountInString(*t.v) > t.max:
			return problem.Fieldf(t.field, "complaint.too_long", t.name+"过长", "%s may have at most %d characters", t.field, t.max)
		case strings.ContainsFunc(*t.v, func(r rune) bool { return r < 0x20 && r != '\n' && r != '\r' && r != '\t' }):
			return problem.Field(t.field, "complaint.text_invalid", t.name+"含有无效字符", t.field+" contains control characters")
		}
	}
	return nil
}

// Clean checks a filing field by field and returns it trimmed; each
// problem names the JSON field. The department's existence is checked by
// the service.
func Clean(in Input) (Input, error) {
	if !in.ComplainantKind.valid() {
		return in, problem.Fieldf("complainant_kind", "complaint.kind_invalid", "请选择投诉人类型",
			"complainant_kind must be citizen, legal_person or other_organisation; got %q", in.ComplainantKind)
	}
	if err := checkTexts([]textRule{
		{"name", "姓名或名称", &in.Name, true, MaxNameRunes},
		{"contact", "联系方式", &in.Contact, true, MaxContactRunes},
	}); err != nil {
		return in, err
	}
	if !validContact(in.Contact) {
		return in, problem.Field("contact", "complaint.contact_invalid", "联系方式应为手机号、固定电话或电子邮箱",
			"contact must be a phone number (digits, optionally +, - and spaces) or an e-mail address")
	}
	in.DepartmentID = strings.TrimSpace(in.DepartmentID)
	if in.DepartmentID == "" {
		return in, problem.Field("department_id", "complaint.required", "请选择被投诉部门", "department_id is required")
	}
	if err := checkTexts([]textRule{
		{"facts", "事情经过", &in.Facts, true, MaxTextRunes},
		{"rights", "受侵犯的权益", &in.Rights, true, MaxTextRunes},
		{"reference", "相关编号", &in.Reference, false, MaxRefRunes},
	}); err != nil {
		return in, err
	}
	return in, nil
}

// validContact accepts a phone number (7 to 20 digits, with an optional
// leading +, and - or spaces between) or an e-mail address of the form
// local@domain.tld.
func validContact(s string) bool {
	if local, domain, ok := strings.Cut(s, "@"); ok {
		return local != "" && !strings.ContainsAny(local, " @") && strings.Contains(domain, ".") &&
			!strings.ContainsAny(domain, " @") && !strings.HasPrefix(domain, ".") && !strings.HasSuffix(domain, ".")
	}
	digits := 0
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '+' && i == 0, r == '-', r == ' ':
		default:
			return false
		}
	}
	return digits >= 7 && digits <= 20
}

// AnswerInput is the department's answer.
type AnswerInput struct {
	Version  int64  `json:"version"`
	Findings string `json:"findings"`
	Measures string `json:"measures"`
}

// TransferInput hands the complaint to another department.
type TransferInput struct {
	Version int64  `json:"version"`
	ToID    string `json:"to_id"`
	Reason  string `json:"reason"`
}

// Command is an act that needs nothing but the version last read.
type Command struct {
	Version int64 `json:"version"`
}

// Public is what the complainant sees with the receipt code: the status,
// the dates and the answer; nothing about who handled it internally.
type Public struct {
	State          State          `json:"state"`
	DepartmentName string         `json:"department_name"` // handling now
	FiledAt        time.Time      `json:"filed_at"`
	Due            *calendar.Date `json:"due,omitempty"` // nil until countable (see Complaint.Deadline)
	AcceptedAt     *time.Time     `json:"accepted_at,omitempty"`
	Transferred    bool           `json:"transferred"`
	Answer         *PublicAnswer  `json:"answer,omitempty"`
}

// PublicAnswer is the answer without who wrote it.
type PublicAnswer struct {
	Findings   string    `json:"findings"`
	Measures   string    `json:"measures"`
	AnsweredAt time.Time `json:"answered_at"`
}

// Summary is a complaint as listings show it: its state, dates, handler
// and deadline. What the complainant is and wrote (name, contact, facts,
// rights, reference) and the transfer reasons are on the complaint's own
// page only, to its readers.
type Summary struct {
	ID         string             `json:"id"`
	Version    int64              `json:"version"`
	State      State              `json:"state"`
	HandlerID  string             `json:"handler_id"`
	FiledAt    time.Time          `json:"filed_at"`
	ReceivedOn calendar.Date      `json:"received_on"`
	Deadline   *calendar.Deadline `json:"deadline,omitempty"`
	AcceptedAt *time.Time         `json:"accepted_at,omitempty"`
	AnsweredAt *time.Time         `json:"answered_at,omitempty"`
	UpdatedAt  time.Time          `json:"updated_at"`

	Overdue         bool `json:"overdue"`
	WorkingDaysLeft *int `json:"working_days_left,omitempty"`
}

func summarize(c *Complaint) Summary {
	s := Summary{ID: c.ID, Version: c.Version, State: c.State, HandlerID: c.HandlerID, FiledAt: c.FiledAt,
		ReceivedOn: c.ReceivedOn, Deadline: c.Deadline, AcceptedAt: c.AcceptedAt, UpdatedAt: c.UpdatedAt,
		Overdue: c.Overdue, WorkingDaysLeft: c.WorkingDaysLeft}
	if c.Answer != nil {
		s.AnsweredAt = &c.Answer.AnsweredAt
	}
	return s
}
