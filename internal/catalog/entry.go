// Package catalog is the government data catalog (政务数据目录, Art. 12–19):
// catalog entries with their data items, the sharing attribute and its
// conditions, classification and grade; the provider's assessments and its
// office head's approval (Art. 13); review and publication by the same-level
// authority (Art. 16); versions and the update obligations that legal or duty
// changes open (Art. 17); source departments and duplicate detection
// (Art. 19); and search of the published catalog. Its rules are plain Go;
// Service runs them in one transaction per command.
package catalog

import (
	"time"

	"github.com/govshare/govshare/internal/calendar"
)

// Attribute is the sharing attribute (共享属性, Art. 14).
type Attribute string

const (
	Unconditional Attribute = "unconditional" // 无条件共享
	Conditional   Attribute = "conditional"   // 有条件共享
	NotShareable  Attribute = "not_shareable" // 不予共享
)

// Shareable reports whether entries of this attribute may be applied for.
func (a Attribute) Shareable() bool { return a == Unconditional || a == Conditional }

func (a Attribute) valid() bool { return a == Unconditional || a == Conditional || a == NotShareable }

// Method is a delivery method (共享方式, Art. 22).
type Method string

const (
	ServiceInterface Method = "service_interface" // 服务接口
	BatchExchange    Method = "batch_exchange"    // 批量交换
	FileDownload     Method = "file_download"     // 文件下载
)

func (m Method) valid() bool { return m == ServiceInterface || m == BatchExchange || m == FileDownload }

// Frequency is the update frequency (更新频率).
type Frequency string

var frequencies = []Frequency{"real_time", "daily", "weekly", "monthly", "quarterly", "yearly", "irregular"}

// FormatClass is the class of a data format in the national cataloguing guide
// (信息资源格式分类).
type FormatClass string

var formatClasses = []FormatClass{"electronic_file", "spreadsheet", "database", "image", "streaming_media", "self_describing", "service_interface"}

// DataType is a data item's type, coded as in the national cataloguing guide:
// C character, N numeric, Y currency, D date, T date-time, L logical, M memo,
// G general/binary, B double, I integer, F float.
type DataType string

const dataTypes = "CNYDTLMGBIF"

func (t DataType) valid() bool {
	return len(t) == 1 && t[0] >= 'A' && t[0] <= 'Z' && containsByte(dataTypes, t[0])
}

// needsLength: character and numeric values are declared with their width.
func (t DataType) needsLength() bool { return t == "C" || t == "N" || t == "Y" }

func containsByte(s string, b byte) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == b {
			return true
		}
	}
	return false
}

// Grade is the protection grade of GB/T 43697-2024, with general data split
// into the four sensitivity grades of provincial practice (L4 sensitive … L1
// not sensitive).
type Grade string

const (
	Core      Grade = "core"       // 核心数据
	Important Grade = "important"  // 重要数据
	GeneralL4 Grade = "general_l4" // 一般数据 L4 敏感
	GeneralL3 Grade = "general_l3" // 一般数据 L3 较敏感
	GeneralL2 Grade = "general_l2" // 一般数据 L2 低敏感
	GeneralL1 Grade = "general_l1" // 一般数据 L1 不敏感
)

// Grades lists the grades from the strictest down.
var Grades = []Grade{Core, Important, GeneralL4, GeneralL3, GeneralL2, GeneralL1}

// Rank is 0 for the strictest grade and grows as protection lessens; -1 for
// an unknown grade.
func (g Grade) Rank() int {
	for i, x := range Grades {
		if x == g {
			return i
		}
	}
	return -1
}

// Strictest returns the strictest grade among items: a data set takes the
// highest grade of anything it contains (GB/T 43697-2024). It is "" for no items.
func Strictest(items []Item) Grade {
	var out Grade
	for _, it := range items {
		if r := it.Grade.Rank(); r >= 0 && (out == "" || r < out.Rank()) {
			out = it.Grade
		}
	}
	return out
}

// OpenAttribute says whether the data is open to the public (开放属性).
type OpenAttribute string

var openAttributes = []OpenAttribute{"open", "conditional_open", "not_open"}

// Secrecy marks data that is a state or work secret. Such data is not
// government data (Art. 3) and has no place in the catalog; the field exists
// so that the provider says so explicitly and the platform refuses it.
type Secrecy string

const (
	NotSecret   Secrecy = "none"
	StateSecret Secrecy = "state_secret" // 国家秘密
	WorkSecret  Secrecy = "work_secret"  // 工作秘密
)

// LegalBasisKind is the rank of the rule a not-shareable entry rests on
// (Art. 14(3), 15): only these three may keep data from other departments.
type LegalBasisKind string

var legalBasisKinds = []LegalBasisKind{"law", "administrative_regulation", "state_council_decision"}

// Item is one data item (数据项) of an entry.
type Item struct {
	Name        string   `json:"name"`
	DataType    DataType `json:"data_type"`
	Length      int      `json:"length"`
	IsKey       bool     `json:"is_key"`
	Required    bool     `json:"required"` // required in exchange
	Description string   `json:"description"`
	Grade       Grade    `json:"grade"`
}

// Classification is the guide's resource classification: class (1 digit),
// item (2), category (3) and an optional sub-category of digits.
type Classification struct {
	Class       string `json:"class"`
	Item        string `json:"item"`
	Category    string `json:"category"`
	SubCategory string `json:"sub_category,omitempty"`
}

// Code is the classification code that prefixes the resource code.
func (c Classification) Code() string { return c.Class + c.Item + c.Category + c.SubCategory }

// DataFormat is the class and concrete type of the data (数据格式).
type DataFormat struct {
	Class FormatClass `json:"class"`
	Type  string      `json:"type"` // e.g. "JSON", "XLSX", "PostgreSQL"
}

// UsageConditions are the conditions of a conditional entry (Art. 15).
type UsageConditions struct {
	Scope         string `json:"scope"`          // 共享范围
	PermittedUses string `json:"permitted_uses"` // 使用用途
}

// LegalBasis names the law, administrative regulation or State Council
// decision, and its article, that keeps data from being shared.
type LegalBasis struct {
	Kind    LegalBasisKind `json:"kind"`
	Name    string         `json:"name"`
	Article string         `json:"article"`
}

// NotShareableBasis is what a not-shareable entry must state (Art. 15).
type NotShareableBasis struct {
	Reason     string     `json:"reason"`
	LegalBasis LegalBasis `json:"legal_basis"`
}

// Draft is what a provider writes: every Art. 13 field and the guide's core
// metadata. The provider and the grade are not in it: the provider is the
// actor's department, the grade is computed from the items.
type Draft struct {
	Name             string             `json:"name"`
	Abstract         string             `json:"abstract"`
	ResourceCode     string             `json:"resource_code"`
	Classification   Classification     `json:"classification"`
	Items            []Item             `json:"items"`
	DataFormat       DataFormat         `json:"data_format"`
	UpdateFrequency  Frequency          `json:"update_frequency"`
	SharingAttribute Attribute          `json:"sharing_attribute"`
	DeliveryMethods  []Method           `json:"delivery_methods"`
	UsageConditions  *UsageConditions   `json:"usage_conditions,omitempty"`
	NotShareable     *NotShareableBasis `json:"not_shareable,omitempty"`
	OpenAttribute    OpenAttribute      `json:"open_attribute"`
	OpenCondition    string             `json:"open_condition,omitempty"`
	Secrecy          Secrecy            `json:"secrecy,omitempty"`
}

// State is where a version stands in its lifecycle.
type State string

const (
	Drafted    State = "draft"      // being written or edited by the provider
	Submitted  State = "submitted"  // approved by the office head, awaiting the authority's review
	Returned   State = "returned"   // sent back by the authority with reasons
	Published  State = "published"  // the version in force
	Superseded State = "superseded" // a published version replaced by a later one; still readable
)

// Conclusion is the outcome of an assessment.
type Conclusion string

var conclusions = []Conclusion{"passed", "passed_with_measures", "failed"}

// Assessment is one of the two assessments of Art. 13.
type Assessment struct {
	Conclusion Conclusion    `json:"conclusion"`
	AssessedOn calendar.Date `json:"assessed_on"`
	Assessor   string        `json:"assessor"` // who assessed: a unit or a person
	Summary    string        `json:"summary"`
}

// Assessments are the secrecy-risk and personal-information impact
// assessments (保密风险评估, 个人信息保护影响评估) of one version.
type Assessments struct {
	Secrecy             *Assessment `json:"secrecy,omitempty"`
	PersonalInformation *Assessment `json:"personal_information,omitempty"`
}

// Review is the submission of a version to the same-level authority and the
// authority's decision.
type Review struct {
	AuthorityID string        `json:"authority_id"`
	SubmittedAt time.Time     `json:"submitted_at"` // receipt by the authority
	SubmittedBy string        `json:"submitted_by"` // the approving office head
	Due         calendar.Date `json:"due"`
	Rule        string        `json:"rule"`
	DecidedAt   *time.Time    `json:"decided_at,omitempty"`
	DecidedBy   string        `json:"decided_by,omitempty"`
	Opinion     string        `json:"opinion,omitempty"`
	Reasons     string        `json:"return_reasons,omitempty"`
}

// Version is one numbered version of an entry's content.
type Version struct {
	Number int   `json:"number"`
	State  State `json:"state"`
	Draft
	Grade       Grade       `json:"grade"`
	Assessments Assessments `json:"assessments"`
	Review      *Review     `json:"review,omitempty"`
	PublishedAt *time.Time  `json:"published_at,omitempty"`
	CreatedAt   time.Time   `json:"created_at"`
	UpdatedAt   time.Time   `json:"updated_at"`
}

// Head is an entry's own row: who provides it and which of its versions is
// being worked on and which is in force.
type Head struct {
	ID               string
	Seq              int64 // search order and full-text key
	ProviderID       string
	DivisionCode     string
	ResourceCode     string
	State            State // of the working version
	WorkingVersion   int
	PublishedVersion int // 0 until first publication
	AuthorityID      string
	Version          int64
	CreatedAt        time.Time
	UpdatedAt        time.Time
}

// Entry is a catalog entry as a reader sees it: the entry's own fields with
// one of its versions — the working version for those who may see drafts,
// the published one for everybody else.
type Entry struct {
	ID               string `json:"id"`
	ProviderID       string `json:"provider_id"`
	ProviderName     string `json:"provider_name"`
	DivisionCode     string `json:"division_code"`
	VersionNumber    int    `json:"version_number"` // the version shown
	PublishedVersion *int   `json:"published_version"`
	State            State  `json:"state"` // of the version shown
	Draft
	Grade             Grade        `json:"grade"`
	Assessments       Assessments  `json:"assessments"`
	Review            *Review      `json:"review,omitempty"`
	PublishedAt       *time.Time   `json:"published_at,omitempty"`
	SourceDepartments []SourceMark `json:"source_departments"`
	// Duplicates are told, not refused (Art. 19): other departments already
	// offer these items for sharing. Set on the answers to commands.
	Duplicates []Duplicate `json:"duplicates,omitempty"`
	Version    int64       `json:"version"` // optimistic lock: send it back with the next command
	CreatedAt  time.Time   `json:"created_at"`
	UpdatedAt  time.Time   `json:"updated_at"`
}

func entryOf(h Head, v Version, providerName string) Entry {
	e := Entry{ID: h.ID, ProviderID: h.ProviderID, ProviderName: providerName, DivisionCode: h.DivisionCode,
		VersionNumber: v.Number, State: v.State, Draft: v.Draft, Grade: v.Grade, Assessments: v.Assessments,
		Review: v.Review, PublishedAt: v.PublishedAt, SourceDepartments: []SourceMark{}, Version: h.Version,
		CreatedAt: h.CreatedAt, UpdatedAt: h.UpdatedAt}
	if h.PublishedVersion > 0 {
		n := h.PublishedVersion
		e.PublishedVersion = &n
	}
	return e
}
