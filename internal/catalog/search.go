package catalog

import (
	"context"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/problem"
)

// Query searches the published catalog. Text matches names, abstracts and
// data item names as a substring (a query for 身份证 finds 居民身份证号码);
// several words separated by spaces must all match.
type Query struct {
	Text       string
	ProviderID string
	Region     string // a division: entries of departments in it or below it
	Attribute  Attribute
	Method     Method
	Grade      string // a grade, or "general" for any general sub-grade
	Limit      int
	Cursor     string
	// Terms is Text split into words, lower-cased; set by the service.
	Terms []string
}

// MinTrigram is the shortest term the trigram index can look up; on SQLite
// shorter terms go to a character-pair index, on PostgreSQL to a LIKE scan.
const MinTrigram = 3

const (
	maxQueryText = 100
	maxTerms     = 5
)

// Summary is one search result: what a department needs to decide whether to
// look closer or apply.
type Summary struct {
	ID               string    `json:"id"`
	Name             string    `json:"name"`
	Abstract         string    `json:"abstract"`
	ResourceCode     string    `json:"resource_code"`
	ProviderID       string    `json:"provider_id"`
	ProviderName     string    `json:"provider_name"`
	DivisionCode     string    `json:"division_code"`
	SharingAttribute Attribute `json:"sharing_attribute"`
	DeliveryMethods  []Method  `json:"delivery_methods"`
	UpdateFrequency  Frequency `json:"update_frequency"`
	Grade            Grade     `json:"grade"`
	PublishedVersion int       `json:"published_version"`
	PublishedAt      time.Time `json:"published_at"`
	Seq              int64     `json:"-"`
}

// Page is one page of search results.
type Page struct {
	Items      []Summary `json:"items"`
	NextCursor string    `json:"next_cursor,omitempty"`
}

// SearchText is what full-text search looks in for a published version:
// name, abstract and item names, lower-cased so that both engines match
// Latin letters without regard to case.
func SearchText(v Version) string {
	var b strings.Builder
	b.WriteString(v.Name)
	b.WriteString("\n")
	b.WriteString(v.Abstract)
	for _, it := range v.Items {
		b.WriteString("\n")
		b.WriteString(it.Name)
	}
	return strings.ToLower(b.String())
}

// CursorSeq decodes a search cursor; 0 for none.
func CursorSeq(c string) (int64, bool) {
	if c == "" {
		return 0, true
	}
	n, err := strconv.ParseInt(c, 10, 64)
	return n, err == nil && n > 0
}

// ValidateQuery checks the filters and splits the text into terms.
func ValidateQuery(q Query) (Query, error) {
	q.Text = strings.TrimSpace(q.Text)
	if utf8.RuneCountInString(q.Text) > maxQueryText {
		return q, tooLong("q", maxQueryText)
	}
	q.Terms = strings.Fields(strings.ToLower(q.Text))
	if len(q.Terms) > maxTerms {
		return q, problem.Fieldf("q", "catalog.too_many_terms", "检索词过多", "at most %d words", maxTerms)
	}
	if q.Attribute != "" && !q.Attribute.valid() {
		return q, problem.Fieldf("attribute", "catalog.attribute_invalid", "共享属性无效", "unknown attribute %q", q.Attribute)
	}
	if q.Method != "" && !q.Method.valid() {
		return q, problem.Fieldf("method", "catalog.method_invalid", "共享方式无效", "unknown method %q", q.Method)
	}
	if q.Grade != "" && q.Grade != "general" && Grade(q.Grade).Rank() < 0 {
		return q, problem.Fieldf("grade", "catalog.grade_invalid", "数据分级无效", "unknown grade %q", q.Grade)
	}
	if _, ok := CursorSeq(q.Cursor); !ok {
		return q, problem.Field("cursor", "catalog.cursor_invalid", "分页游标无效", "cursor must be the next_cursor of a previous page")
	}
	if q.Limit <= 0 || q.Limit > 500 {
		q.Limit = 50
	}
	return q, nil
}

// Search lists published entries, newest first. Drafts are never found: only
// published versions are indexed.
func (s *Service) Search(ctx context.Context, a access.Actor, q Query) (Page, error) {
	if !CanReadCatalog(a) {
		return Page{}, problem.ErrForbidden
	}
	q, err := ValidateQuery(q)
	if err != nil {
		return Page{}, err
	}
	var items []Summary
	if err := s.read(ctx, func(tx Tx) (err error) { items, err = tx.SearchCatalog(ctx, q); return err }); err != nil {
		return Page{}, err
	}
	p := Page{Items: items}
	if p.Items == nil {
		p.Items = []Summary{}
	}
	if len(items) == q.Limit {
		p.NextCursor = strconv.FormatInt(items[len(items)-1].Seq, 10)
	}
	return p, nil
}
