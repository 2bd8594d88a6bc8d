package application

import (
	"time"

	"github.com/govshare/govshare/internal/calendar"
)

// State is where an application stands in the workflow of Art. 20–22.
type State string

const (
	// Draft: the consumer's office is writing it; only the consumer sees it.
	Draft State = "draft"
	// AwaitingApproval: staff have finished it and asked their office head
	// to approve it (Art. 20: 经本部门政务数据共享工作机构负责人同意).
	AwaitingApproval State = "awaiting_approval"
	// Sent: the head approved and sent it; the provider received it at the
	// instant of sending and the reply period runs.
	Sent State = "sent"
	// SupplementRequested: the provider sent its one supplement request
	// (Art. 21 一次性告知); the reply clock is stopped.
	SupplementRequested State = "supplement_requested"
	// Resubmitted: the consumer answered the supplement request; the reply
	// period runs afresh from the resubmission.
	Resubmitted State = "resubmitted"
	// Approved: the provider's office head agreed to share; delivery is due
	// within 20 WD (Art. 22).
	Approved State = "approved"
	// Refused: the provider's office head refused, with reasons (Art. 21).
	Refused State = "refused"
	// Withdrawn: the consumer withdrew it before a reply.
	Withdrawn State = "withdrawn"
)

// States lists every state in workflow order.
var States = []State{Draft, AwaitingApproval, Sent, SupplementRequested, Resubmitted, Approved, Refused, Withdrawn}

// Valid reports whether s is a known state.
func (s State) Valid() bool {
	for _, x := range States {
		if x == s {
			return true
		}
	}
	return false
}

// awaitingReply: the provider holds the application and its reply period runs.
func (s State) awaitingReply() bool { return s == Sent || s == Resubmitted }

// Attribute is a catalog entry's sharing attribute (Art. 14).
type Attribute string

const (
	Unconditional Attribute = "unconditional"
	Conditional   Attribute = "conditional"
	NotShareable  Attribute = "not_shareable"
)

// Delivery methods of Art. 22.
const (
	ServiceInterface = "service_interface"
	BatchExchange    = "batch_exchange"
	FileDownload     = "file_download"
)

// EntryRef is what an application needs to know of the published version of
// a catalog entry. The store reads it from the catalog's tables.
type EntryRef struct {
	ID               string
	Version          int
	Name             string
	ProviderID       string
	ProviderDivision string // the provider department's division
	Attribute        Attribute
	DeliveryMethods  []string
	Items            []string // data item names of the published version
}

// Application is one consumer's request to use one catalog entry.
type Application struct {
	ID           string    `json:"id"`
	EntryID      string    `json:"entry_id"`
	EntryVersion int       `json:"entry_version"` // the published version applied for
	EntryName    string    `json:"entry_name"`
	Attribute    Attribute `json:"attribute"` // of that version; it chooses the reply period

	ConsumerID       string `json:"consumer_id"`
	ConsumerDivision string `json:"consumer_division"`
	ProviderID       string `json:"provider_id"`
	ProviderDivision string `json:"provider_division"`

	Form

	State   State  `json:"state"`
	Version int64  `json:"version"`
	DraftBy string `json:"drafted_by"`

	// Approvals are the consumer office head's sign-offs: one to send, one
	// more for a resubmission (Art. 20).
	Approvals []Approval `json:"approvals"`
	// SentAt is the first receipt by the provider; ReceivedAt the receipt the
	// running reply period counts from (the resubmission, after a supplement).
	SentAt     *time.Time `json:"sent_at,omitempty"`
	ReceivedAt *time.Time `json:"received_at,omitempty"`

	ReplyDeadline *Deadline          `json:"reply_deadline,omitempty"`
	Supplement    *SupplementRequest `json:"supplement_request,omitempty"`
	Extension     *Extension         `json:"extension,omitempty"`
	Reply         *Reply             `json:"reply,omitempty"`
	WithdrawnAt   *time.Time         `json:"withdrawn_at,omitempty"`
	// Delivered is the first delivery of an approved application's data,
	// which closes the provider's 20-WD obligation (Art. 22).
	Delivered *Delivered `json:"delivered,omitempty"`

	// History is every step, oldest first; entries marked notify are the
	// notices the consumer must receive (the extension of Art. 21).
	History []HistoryEntry `json:"history"`

	// Durations is how long each step took (Art. 23). Computed when read,
	// never stored.
	Durations []Duration `json:"durations"`

	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Approval is one sign-off by the consumer's office head.
type Approval struct {
	Kind string    `json:"kind"` // "send" or "resubmit"
	By   string    `json:"by"`   // person ID
	At   time.Time `json:"at"`
}

// Deadline is a statutory deadline stored with the rule that produced it.
type Deadline struct {
	calendar.Deadline
	// Basis says what chose the period: the entry's attribute for a reply
	// (unconditional: 1 WD, conditional: 10 WD), "extension" once the
	// authority extended it, "delivery" for Art. 22's 20 WD.
	Basis string `json:"basis"`
}

// Missing is one thing a supplement request says is missing.
type Missing struct {
	Item string `json:"item"` // the part of the application or the material
	What string `json:"what"` // what exactly is missing
}

// SupplementRequest is the provider's single notice of everything missing
// (Art. 21 一次性告知), and the consumer's answers to it.
type SupplementRequest struct {
	Missing    []Missing  `json:"missing"`
	By         string     `json:"by"`
	At         time.Time  `json:"at"`
	Answers    []string   `json:"answers,omitempty"` // one per missing item, in order
	AnsweredBy string     `json:"answered_by,omitempty"`
	AnsweredAt *time.Time `json:"answered_at,omitempty"`
	StoppedDue *Deadline  `json:"stopped_deadline,omitempty"` // the reply deadline the request stopped
}

// Extension states.
const (
	ExtensionRequested = "requested"
	ExtensionGranted   = "granted"
	ExtensionRefused   = "refused"
)

// MaxExtensionDays is the longest extension Art. 21 allows.
const MaxExtensionDays = 10

// Extension is the provider's request to extend the reply period and the
// authority's decision (Art. 21).
type Extension struct {
	Days        int        `json:"days"`
	Reason      string     `json:"reason"`
	RequestedBy string     `json:"requested_by"`
	RequestedAt time.Time  `json:"requested_at"`
	AuthorityID string     `json:"authority_id"` // the provider's same-level authority
	Status      string     `json:"status"`
	DecidedBy   string     `json:"decided_by,omitempty"`
	DecidedAt   *time.Time `json:"decided_at,omitempty"`
	Note        string     `json:"note,omitempty"`
	PreviousDue *Deadline  `json:"previous_deadline,omitempty"` // the deadline a grant replaced
}

// Decisions of a reply.
const (
	Approve = "approve"
	Refuse  = "refuse"
)

// Reason categories of a refusal. MaterialsIncomplete exists so that it can
// be refused: incomplete materials call for a supplement request (Art. 21).
const (
	ReasonNoLegalBasis        = "no_legal_basis"
	ReasonBeyondDuties        = "beyond_duties"
	ReasonScopeExcessive      = "scope_excessive"
	ReasonSecurityRisk        = "security_risk"
	ReasonOther               = "other"
	ReasonMaterialsIncomplete = "materials_incomplete"
)

// ReasonCategories are the categories a refusal may give.
var ReasonCategories = []string{ReasonNoLegalBasis, ReasonBeyondDuties, ReasonScopeExcessive, ReasonSecurityRisk, ReasonOther}

// Reply is the provider's answer, given after its office head agreed.
type Reply struct {
	Decision       string    `json:"decision"`
	By             string    `json:"by"` // the provider's office head
	At             time.Time `json:"at"`
	Reasons        []string  `json:"reasons,omitempty"`
	ReasonCategory string    `json:"reason_category,omitempty"`
	// Grant is what an approval gives: the terms as applied for.
	Grant *Grant `json:"grant,omitempty"`
	// DeliveryDeadline is 20 WD from the reply (Art. 22).
	DeliveryDeadline *Deadline `json:"delivery_deadline,omitempty"`
}

// Grant is the terms an approval shares the data on.
type Grant struct {
	// ID names the grant (internal/grant) created with the approval.
	ID             string    `json:"id,omitempty"`
	Conditions     string    `json:"conditions,omitempty"`
	Items          []string  `json:"items"`
	DeliveryMethod string    `json:"delivery_method"`
	Scope          string    `json:"scope"`
	TimeLimit      TimeLimit `json:"time_limit"`
}

// HistoryEntry is one step of the application.
type HistoryEntry struct {
	At           time.Time `json:"at"`
	Action       string    `json:"action"` // e.g. "application.send"
	ActorID      string    `json:"actor_id"`
	DepartmentID string    `json:"department_id,omitempty"`
	Note         string    `json:"note,omitempty"` // in Chinese, for people
	// Notify marks a notice the consumer receives (an extension, Art. 21).
	Notify bool `json:"notify"`
}
