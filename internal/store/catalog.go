package store

import (
	"context"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/govshare/govshare/internal/calendar"
	"github.com/govshare/govshare/internal/catalog"
	"github.com/govshare/govshare/internal/problem"
)

// The catalog's tables: catalog_entries (one row per entry, with the
// published version's search fields), catalog_versions and catalog_items (every
// version and its data items), catalog_obligations, catalog_source_designations;
// on SQLite also the full-text indexes catalog_search and catalog_bigrams.

// dateValue scans a YYYY-MM-DD text column into a calendar.Date; NULL leaves it zero.
type dateValue struct{ d *calendar.Date }

func (v dateValue) Scan(src any) error {
	var s string
	switch x := src.(type) {
	case nil:
		return nil
	case string:
		s = x
	case []byte:
		s = string(x)
	default:
		return fmt.Errorf("store: cannot scan %T as a date", src)
	}
	d, err := calendar.ParseDate(s)
	if err != nil {
		return err
	}
	*v.d = d
	return nil
}

func dateOrNil(d calendar.Date) any {
	if !d.IsValid() {
		return nil
	}
	return d.String()
}

// NextCatalogSeq implements catalog.Tx. Taking the counter row serialises
// entry creation, which is rare enough not to matter.
func (t *Tx) NextCatalogSeq(ctx context.Context) (int64, error) {
	var n int64
	if err := t.tx.QueryRowContext(ctx, "UPDATE catalog_seq SET n = n + 1 WHERE id = 1 RETURNING n").Scan(&n); err != nil {
		return 0, fmt.Errorf("store: next catalog sequence: %w", err)
	}
	return n, nil
}

const headCols = "e.id, e.seq, e.provider_id, e.division_code, e.resource_code, e.state, e.working_version, COALESCE(e.published_version, 0), COALESCE(e.authority_id, ''), e.version, e.created_at, e.updated_at"

func scanHead(row interface{ Scan(...any) error }, extra ...any) (catalog.Head, error) {
	var h catalog.Head
	var state string
	dest := append([]any{&h.ID, &h.Seq, &h.ProviderID, &h.DivisionCode, &h.ResourceCode, &state, &h.WorkingVersion, &h.PublishedVersion,
		&h.AuthorityID, &h.Version, timeValue{&h.CreatedAt}, timeValue{&h.UpdatedAt}}, extra...)
	err := row.Scan(dest...)
	h.State = catalog.State(state)
	return h, err
}

// CatalogHead implements catalog.Tx.
func (t *Tx) CatalogHead(ctx context.Context, id string) (*catalog.Head, error) {
	h, err := scanHead(t.tx.QueryRowContext(ctx, "SELECT "+headCols+" FROM catalog_entries e WHERE e.id = $1", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: catalog entry %s: %w", id, err)
	}
	return &h, nil
}

func resourceCodeTaken(err error) error {
	if _, dup := uniqueViolation(err); dup {
		return &problem.Error{Kind: problem.Conflict, Code: "catalog.resource_code_taken", Title: "信息资源代码已被使用",
			Field: "resource_code", Detail: "another catalog entry has this resource code"}
	}
	return nil
}

// InsertCatalogHead implements catalog.Tx.
func (t *Tx) InsertCatalogHead(ctx context.Context, h catalog.Head) error {
	t.touch() // the gateway path caches it (generation.go)
	_, err := t.exec(ctx, `INSERT INTO catalog_entries (id, seq, provider_id, division_code, resource_code, state, working_version,
    published_version, authority_id, version, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
		h.ID, h.Seq, h.ProviderID, h.DivisionCode, h.ResourceCode, string(h.State), h.WorkingVersion, publishedOrNil(h.PublishedVersion),
		nullable(h.AuthorityID), h.Version, h.CreatedAt, h.UpdatedAt)
	if c := resourceCodeTaken(err); c != nil {
		return c
	}
	if err != nil {
		return fmt.Errorf("store: insert catalog entry: %w", err)
	}
	return nil
}

func publishedOrNil(n int) any {
	if n == 0 {
		return nil
	}
	return n
}

// UpdateCatalogHead implements catalog.Tx.
func (t *Tx) UpdateCatalogHead(ctx context.Context, h catalog.Head) error {
	t.touch() // the gateway path caches it (generation.go)
	ok, err := t.execOne(ctx, `UPDATE catalog_entries SET resource_code = $1, state = $2, working_version = $3, published_version = $4,
    authority_id = $5, version = $6, updated_at = $7 WHERE id = $8 AND version = $9`,
		h.ResourceCode, string(h.State), h.WorkingVersion, publishedOrNil(h.PublishedVersion), nullable(h.AuthorityID), h.Version, h.UpdatedAt,
		h.ID, h.Version-1)
	if c := resourceCodeTaken(err); c != nil {
		return c
	}
	if err != nil {
		return fmt.Errorf("store: update catalog entry: %w", err)
	}
	if !ok {
		return problem.ErrVersionConflict
	}
	return nil
}

// versionCols are catalog_versions' columns in the order versionArgs and
// scanVersion use.
var versionCols = []string{"entry_id", "number", "state", "name", "abstract", "resource_code", "class_code", "item_code", "category_code",
	"sub_category_code", "format_class", "format_type", "update_frequency", "sharing_attribute", "delivery_methods", "usage_scope",
	"permitted_uses", "not_shareable_reason", "legal_basis_kind", "legal_basis_name", "legal_basis_article", "open_attribute",
	"open_condition", "secrecy", "grade", "secrecy_conclusion", "secrecy_assessed_on", "secrecy_assessor", "secrecy_summary",
	"pi_conclusion", "pi_assessed_on", "pi_assessor", "pi_summary", "review_authority_id", "submitted_at", "submitted_by",
	"review_due", "review_rule", "decided_at", "decided_by", "opinion", "return_reasons", "published_at", "created_at", "updated_at"}

func joinMethods(ms []catalog.Method) string {
	s := make([]string, len(ms))
	for i, m := range ms {
		s[i] = string(m)
	}
	return strings.Join(s, ",")
}

func splitMethods(s string) []catalog.Method {
	out := []catalog.Method{}
	for _, m := range strings.Split(s, ",") {
		if m != "" {
			out = append(out, catalog.Method(m))
		}
	}
	return out
}

func assessmentArgs(a *catalog.Assessment) []any {
	if a == nil {
		return []any{nil, nil, nil, nil}
	}
	return []any{string(a.Conclusion), dateOrNil(a.AssessedOn), a.Assessor, a.Summary}
}

func versionArgs(entryID string, v catalog.Version) []any {
	args := []any{entryID, v.Number, string(v.State), v.Name, v.Abstract, v.ResourceCode, v.Classification.Class, v.Classification.Item,
		v.Classification.Category, v.Classification.SubCategory, string(v.DataFormat.Class), v.DataFormat.Type, string(v.UpdateFrequency),
		string(v.SharingAttribute), joinMethods(v.DeliveryMethods)}
	if u := v.UsageConditions; u != nil {
		args = append(args, u.Scope, u.PermittedUses)
	} else {
		args = append(args, nil, nil)
	}
	if n := v.NotShareable; n != nil {
		args = append(args, n.Reason, string(n.LegalBasis.Kind), n.LegalBasis.Name, n.LegalBasis.Article)
	} else {
		args = append(args, nil, nil, nil, nil)
	}
	args = append(args, string(v.OpenAttribute), v.OpenCondition, string(v.Secrecy), string(v.Grade))
	args = append(args, assessmentArgs(v.Assessments.Secrecy)...)
	args = append(args, assessmentArgs(v.Assessments.PersonalInformation)...)
	if r := v.Review; r != nil {
		args = append(args, r.AuthorityID, r.SubmittedAt, r.SubmittedBy, dateOrNil(r.Due), r.Rule, timeOrNil(r.DecidedAt),
			nullable(r.DecidedBy), nullable(r.Opinion), nullable(r.Reasons))
	} else {
		args = append(args, nil, nil, nil, nil, nil, nil, nil, nil, nil)
	}
	return append(args, timeOrNil(v.PublishedAt), v.CreatedAt, v.UpdatedAt)
}

// optional text columns scan through these.
type optText struct{ s *string }

func (o optText) Scan(src any) error {
	switch x := src.(type) {
	case nil:
		*o.s = ""
	case string:
		*o.s = x
	case []byte:
		*o.s = string(x)
	default:
		return fmt.Errorf("store: cannot scan %T as text", src)
	}
	return nil
}

type assessmentRow struct {
	conclusion, assessor, summary string
	on                            calendar.Date
}

func (r assessmentRow) value() *catalog.Assessment {
	if r.conclusion == "" {
		return nil
	}
	return &catalog.Assessment{Conclusion: catalog.Conclusion(r.conclusion), AssessedOn: r.on, Assessor: r.assessor, Summary: r.summary}
}

func scanVersion(row interface{ Scan(...any) error }, prefix ...any) (catalog.Version, error) {
	var v catalog.Version
	var entryID, state, formatClass, freq, attr, methods, scope, uses, reason, basisKind, basisName, article, openAttr, secrecy, grade string
	var sec, pi assessmentRow
	var authorityID, submittedBy, rule, decidedBy, opinion, reasons string
	var submittedAt, decidedAt, publishedAt *time.Time
	var due calendar.Date
	dest := append(prefix, &entryID, &v.Number, &state, &v.Name, &v.Abstract, &v.ResourceCode, &v.Classification.Class, &v.Classification.Item,
		&v.Classification.Category, &v.Classification.SubCategory, &formatClass, &v.DataFormat.Type, &freq, &attr, &methods,
		optText{&scope}, optText{&uses}, optText{&reason}, optText{&basisKind}, optText{&basisName}, optText{&article},
		&openAttr, &v.OpenCondition, &secrecy, &grade,
		optText{&sec.conclusion}, dateValue{&sec.on}, optText{&sec.assessor}, optText{&sec.summary},
		optText{&pi.conclusion}, dateValue{&pi.on}, optText{&pi.assessor}, optText{&pi.summary},
		optText{&authorityID}, nullTime{&submittedAt}, optText{&submittedBy}, dateValue{&due}, optText{&rule}, nullTime{&decidedAt},
		optText{&decidedBy}, optText{&opinion}, optText{&reasons}, nullTime{&publishedAt}, timeValue{&v.CreatedAt}, timeValue{&v.UpdatedAt})
	if err := row.Scan(dest...); err != nil {
		return v, err
	}
	v.State, v.DataFormat.Class, v.UpdateFrequency = catalog.State(state), catalog.FormatClass(formatClass), catalog.Frequency(freq)
	v.SharingAttribute, v.DeliveryMethods = catalog.Attribute(attr), splitMethods(methods)
	v.OpenAttribute, v.Secrecy, v.Grade = catalog.OpenAttribute(openAttr), catalog.Secrecy(secrecy), catalog.Grade(grade)
	if v.SharingAttribute == catalog.Conditional {
		v.UsageConditions = &catalog.UsageConditions{Scope: scope, PermittedUses: uses}
	}
	if v.SharingAttribute == catalog.NotShareable {
		v.NotShareable = &catalog.NotShareableBasis{Reason: reason,
			LegalBasis: catalog.LegalBasis{Kind: catalog.LegalBasisKind(basisKind), Name: basisName, Article: article}}
	}
	v.Assessments = catalog.Assessments{Secrecy: sec.value(), PersonalInformation: pi.value()}
	if submittedAt != nil {
		v.Review = &catalog.Review{AuthorityID: authorityID, SubmittedAt: *submittedAt, SubmittedBy: submittedBy, Due: due, Rule: rule,
			DecidedAt: decidedAt, DecidedBy: decidedBy, Opinion: opinion, Reasons: reasons}
	}
	v.PublishedAt = publishedAt
	v.Items = []catalog.Item{}
	return v, nil
}

func vCols(alias string) string {
	cols := make([]string, len(versionCols))
	for i, c := range versionCols {
		cols[i] = alias + "." + c
	}
	return strings.Join(cols, ", ")
}

func (t *Tx) itemsOf(ctx context.Context, entryID string, number int) ([]catalog.Item, error) {
	rows, err := t.tx.QueryContext(ctx, `SELECT name, data_type, length, is_key, required, description, grade FROM catalog_items
WHERE entry_id = $1 AND version_number = $2 ORDER BY item_no`, entryID, number)
	if err != nil {
		return nil, fmt.Errorf("store: catalog items: %w", err)
	}
	defer rows.Close()
	out := []catalog.Item{}
	for rows.Next() {
		var it catalog.Item
		var typ, grade string
		if err := rows.Scan(&it.Name, &typ, &it.Length, &it.IsKey, &it.Required, &it.Description, &grade); err != nil {
			return nil, err
		}
		it.DataType, it.Grade = catalog.DataType(typ), catalog.Grade(grade)
		out = append(out, it)
	}
	return out, rows.Err()
}

// CatalogVersion implements catalog.Tx.
func (t *Tx) CatalogVersion(ctx context.Context, entryID string, n int) (*catalog.Version, error) {
	v, err := scanVersion(t.tx.QueryRowContext(ctx, "SELECT "+vCols("v")+" FROM catalog_versions v WHERE v.entry_id = $1 AND v.number = $2", entryID, n))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: catalog version %s/%d: %w", entryID, n, err)
	}
	if v.Items, err = t.itemsOf(ctx, entryID, n); err != nil {
		return nil, err
	}
	return &v, nil
}

// CatalogVersions implements catalog.Tx.
func (t *Tx) CatalogVersions(ctx context.Context, entryID string) ([]catalog.Version, error) {
	rows, err := t.tx.QueryContext(ctx, "SELECT "+vCols("v")+" FROM catalog_versions v WHERE v.entry_id = $1 ORDER BY v.number", entryID)
	if err != nil {
		return nil, fmt.Errorf("store: catalog versions: %w", err)
	}
	var out []catalog.Version
	for rows.Next() {
		v, err := scanVersion(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, v)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		if out[i].Items, err = t.itemsOf(ctx, entryID, out[i].Number); err != nil {
			return nil, err
		}
	}
	return out, nil
}

var upsertVersion = func() string {
	ph := make([]string, len(versionCols))
	var set []string
	for i, c := range versionCols {
		ph[i] = fmt.Sprintf("$%d", i+1)
		if c != "entry_id" && c != "number" {
			set = append(set, c+" = excluded."+c)
		}
	}
	return "INSERT INTO catalog_versions (" + strings.Join(versionCols, ", ") + ") VALUES (" + strings.Join(ph, ", ") +
		") ON CONFLICT (entry_id, number) DO UPDATE SET " + strings.Join(set, ", ")
}()

// PutCatalogVersion implements catalog.Tx: the version row is upserted and
// its items replaced, in one statement each.
func (t *Tx) PutCatalogVersion(ctx context.Context, entryID string, v catalog.Version) error {
	t.touch() // the gateway path caches it (generation.go)
	if _, err := t.exec(ctx, upsertVersion, versionArgs(entryID, v)...); err != nil {
		return fmt.Errorf("store: save catalog version: %w", err)
	}
	if _, err := t.exec(ctx, "DELETE FROM catalog_items WHERE entry_id = $1 AND version_number = $2", entryID, v.Number); err != nil {
		return fmt.Errorf("store: clear catalog items: %w", err)
	}
	if len(v.Items) == 0 {
		return nil
	}
	q := newQuery("INSERT INTO catalog_items (entry_id, version_number, item_no, name, data_type, length, is_key, required, description, grade) VALUES ")
	for i, it := range v.Items {
		if i > 0 {
			q.tail(", ")
		}
		q.tail("(" + strings.Join([]string{q.arg(entryID), q.arg(v.Number), q.arg(i + 1), q.arg(it.Name), q.arg(string(it.DataType)),
			q.arg(it.Length), q.arg(it.IsKey), q.arg(it.Required), q.arg(it.Description), q.arg(string(it.Grade))}, ", ") + ")")
	}
	if _, err := t.exec(ctx, q.String(), q.args...); err != nil {
		return fmt.Errorf("store: save catalog items: %w", err)
	}
	return nil
}

// IndexCatalogEntry implements catalog.Tx: the published version's search
// fields go on the entry row, and on SQLite into the trigram index too.
func (t *Tx) IndexCatalogEntry(ctx context.Context, h catalog.Head, v catalog.Version) error {
	text := catalog.SearchText(v)
	if _, err := t.exec(ctx, `UPDATE catalog_entries SET search_text = $1, search_attribute = $2, search_methods = $3, search_grade = $4 WHERE id = $5`,
		text, string(v.SharingAttribute), joinMethods(v.DeliveryMethods), string(v.Grade), h.ID); err != nil {
		return fmt.Errorf("store: index catalog entry: %w", err)
	}
	return t.putFullText(ctx, h.Seq, text)
}

// putFullText keeps SQLite's two full-text indexes of the search text:
// catalog_search (trigrams, for terms of three or more characters) and
// catalog_bigrams (see bigramTokens, for shorter ones). PostgreSQL searches
// the search_text column itself. This is the only place either is written.
func (t *Tx) putFullText(ctx context.Context, seq int64, text string) error {
	if t.engine != SQLite {
		return nil
	}
	for _, table := range []string{"catalog_search", "catalog_bigrams"} {
		if _, err := t.exec(ctx, "DELETE FROM "+table+" WHERE rowid = $1", seq); err != nil {
			return fmt.Errorf("store: full-text delete: %w", err)
		}
	}
	if _, err := t.exec(ctx, "INSERT INTO catalog_search (rowid, search_text) VALUES ($1, $2)", seq, text); err != nil {
		return fmt.Errorf("store: full-text insert: %w", err)
	}
	if _, err := t.exec(ctx, "INSERT INTO catalog_bigrams (rowid, tokens) VALUES ($1, $2)", seq, bigramTokens(text)); err != nil {
		return fmt.Errorf("store: full-text insert: %w", err)
	}
	return nil
}

// bigramTokens is what catalog_bigrams indexes for text: for every word
// (split at white space, as query terms are) the hex of each character and
// of each pair of adjacent characters. A term of one or two characters is
// then one token; UTF-8 being prefix-free, the bytes of one character never
// equal those of two, so the two kinds of token cannot be confused. Hex
// keeps the unicode61 tokenizer from splitting or folding anything.
func bigramTokens(text string) string {
	var b strings.Builder
	for _, word := range strings.Fields(text) {
		prev := ""
		for _, r := range word {
			c := string(r)
			b.WriteString(hex.EncodeToString([]byte(c)))
			b.WriteByte(' ')
			if prev != "" {
				b.WriteString(hex.EncodeToString([]byte(prev + c)))
				b.WriteByte(' ')
			}
			prev = c
		}
	}
	return b.String()
}

// bigramQuery is the catalog_bigrams MATCH expression for a term of one or
// two characters.
func bigramQuery(term string) string {
	return `"` + hex.EncodeToString([]byte(term)) + `"`
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

const summarySelect = `SELECT e.id, v.name, v.abstract, v.resource_code, e.provider_id, d.name, e.division_code, v.sharing_attribute,
    v.delivery_methods, v.update_frequency, v.grade, v.number, v.published_at, e.seq
FROM (`

const summaryJoin = `) e
JOIN catalog_versions v ON v.entry_id = e.id AND v.number = e.published_version
JOIN departments d ON d.id = e.provider_id
ORDER BY e.seq DESC`

// SearchCatalog implements catalog.Tx. An inner query finds the page (the
// newest limit matching entries, from catalog_entries alone and on SQLite a
// full-text index), and only its rows are joined to their versions and
// providers.
//
// On SQLite a text search is driven by a full-text index, in rowid (= seq)
// order: catalog_search (trigrams) when any term has three or more
// characters, all such terms in one MATCH, with the shorter terms' rowids
// from catalog_bigrams as a set; catalog_bigrams alone otherwise. The CROSS
// JOIN keeps the planner from looping over catalog_entries and running MATCH
// per row. Terms of one or two characters are also checked with LIKE on
// search_text, a cheap safeguard on the few rows the indexes leave.
// PostgreSQL scans search_text with LIKE for every term.
func (t *Tx) SearchCatalog(ctx context.Context, cq catalog.Query) ([]catalog.Summary, error) {
	var q *query
	if cq.Region != "" {
		q = newQuery(regionCTE)
		q.args = append(q.args, cq.Region)
		q.tail(summarySelect)
	} else {
		q = newQuery(summarySelect)
	}
	const inner = "SELECT e.id, e.seq, e.provider_id, e.division_code, e.published_version"
	var long, short []string
	if t.engine == SQLite {
		for _, term := range cq.Terms {
			if utf8.RuneCountInString(term) >= catalog.MinTrigram {
				long = append(long, `"`+strings.ReplaceAll(term, `"`, `""`)+`"`)
			} else {
				short = append(short, bigramQuery(term))
			}
		}
	}
	seqCol := "e.seq"
	switch {
	case len(long) > 0:
		q.tail(inner + " FROM catalog_search s CROSS JOIN catalog_entries e ON e.seq = s.rowid WHERE e.published_version IS NOT NULL")
		q.where("catalog_search MATCH ?", strings.Join(long, " AND "))
		if len(short) > 0 {
			// The + keeps SQLite from handing the IN to FTS5 as rowid lookups,
			// which would run the trigram MATCH once per bigram match.
			q.where("+s.rowid IN (SELECT rowid FROM catalog_bigrams WHERE catalog_bigrams MATCH ?)", strings.Join(short, " AND "))
		}
		seqCol = "s.rowid"
	case len(short) > 0:
		q.tail(inner + " FROM catalog_bigrams s CROSS JOIN catalog_entries e ON e.seq = s.rowid WHERE e.published_version IS NOT NULL")
		q.where("catalog_bigrams MATCH ?", strings.Join(short, " AND "))
		seqCol = "s.rowid"
	default:
		q.tail(inner + " FROM catalog_entries e WHERE e.published_version IS NOT NULL")
	}
	for _, term := range cq.Terms {
		if t.engine != SQLite || utf8.RuneCountInString(term) < catalog.MinTrigram {
			q.where(`e.search_text LIKE ? ESCAPE '\'`, "%"+escapeLike(term)+"%")
		}
	}
	if cq.Region != "" {
		q.where("e.division_code IN (SELECT code FROM region)")
	}
	if cq.ProviderID != "" {
		q.where("e.provider_id = ?", cq.ProviderID)
	}
	if cq.Attribute != "" {
		q.where("e.search_attribute = ?", string(cq.Attribute))
	}
	if cq.Method != "" {
		q.where("(',' || e.search_methods || ',') LIKE ?", "%,"+string(cq.Method)+",%")
	}
	switch cq.Grade {
	case "":
	case "general":
		q.where("e.search_grade LIKE 'general%'")
	default:
		q.where("e.search_grade = ?", cq.Grade)
	}
	if after, _ := catalog.CursorSeq(cq.Cursor); after > 0 {
		q.where(seqCol+" < ?", after)
	}
	q.tail(" ORDER BY " + seqCol + " DESC LIMIT " + q.arg(cq.Limit) + summaryJoin)
	rows, err := t.tx.QueryContext(ctx, q.String(), q.args...)
	if err != nil {
		return nil, fmt.Errorf("store: search catalog: %w", err)
	}
	defer rows.Close()
	out := []catalog.Summary{}
	for rows.Next() {
		var s catalog.Summary
		var attr, methods, freq, grade string
		if err := rows.Scan(&s.ID, &s.Name, &s.Abstract, &s.ResourceCode, &s.ProviderID, &s.ProviderName, &s.DivisionCode, &attr,
			&methods, &freq, &grade, &s.PublishedVersion, timeValue{&s.PublishedAt}, &s.Seq); err != nil {
			return nil, err
		}
		s.SharingAttribute, s.DeliveryMethods = catalog.Attribute(attr), splitMethods(methods)
		s.UpdateFrequency, s.Grade = catalog.Frequency(freq), catalog.Grade(grade)
		out = append(out, s)
	}
	return out, rows.Err()
}

// WorkingEntries implements catalog.Tx.
func (t *Tx) WorkingEntries(ctx context.Context, f catalog.WorkFilter) ([]catalog.Working, error) {
	q := newQuery("SELECT " + headCols + ", " + vCols("v") + ` FROM catalog_entries e
JOIN catalog_versions v ON v.entry_id = e.id AND v.number = e.working_version WHERE 1=1`)
	if f.ProviderID != "" {
		q.where("e.provider_id = ?", f.ProviderID)
	}
	if f.AuthorityID != "" {
		q.where("e.authority_id = ?", f.AuthorityID)
	}
	if len(f.States) > 0 {
		ph := make([]string, len(f.States))
		for i, s := range f.States {
			ph[i] = q.arg(string(s))
		}
		q.tail(" AND e.state IN (" + strings.Join(ph, ", ") + ")")
	}
	q.tail(" ORDER BY e.seq LIMIT " + q.arg(limitOf(f.Limit)))
	rows, err := t.tx.QueryContext(ctx, q.String(), q.args...)
	if err != nil {
		return nil, fmt.Errorf("store: working catalog entries: %w", err)
	}
	defer rows.Close()
	var out []catalog.Working
	for rows.Next() {
		var w catalog.Working
		var h catalog.Head
		var state string
		v, err := scanVersion(rows, &h.ID, &h.Seq, &h.ProviderID, &h.DivisionCode, &h.ResourceCode, &state, &h.WorkingVersion,
			&h.PublishedVersion, &h.AuthorityID, &h.Version, timeValue{&h.CreatedAt}, timeValue{&h.UpdatedAt})
		if err != nil {
			return nil, err
		}
		h.State = catalog.State(state)
		w.Head, w.Version = h, v
		out = append(out, w)
	}
	return out, rows.Err()
}

// SharedItemsNamed implements catalog.Tx.
func (t *Tx) SharedItemsNamed(ctx context.Context, names []string, exceptProvider string, limit int) ([]catalog.Duplicate, error) {
	if len(names) == 0 {
		return nil, nil
	}
	q := newQuery(`SELECT ci.name, e.id, v.name, e.provider_id, d.name FROM catalog_items ci
JOIN catalog_entries e ON e.id = ci.entry_id AND ci.version_number = e.published_version
JOIN catalog_versions v ON v.entry_id = e.id AND v.number = e.published_version
JOIN departments d ON d.id = e.provider_id
WHERE v.sharing_attribute IN ('unconditional', 'conditional')`)
	q.where("e.provider_id <> ?", exceptProvider)
	ph := make([]string, len(names))
	for i, n := range names {
		ph[i] = q.arg(n)
	}
	q.tail(" AND ci.name IN (" + strings.Join(ph, ", ") + ") ORDER BY ci.name, e.seq LIMIT " + q.arg(limit))
	rows, err := t.tx.QueryContext(ctx, q.String(), q.args...)
	if err != nil {
		return nil, fmt.Errorf("store: shared items: %w", err)
	}
	defer rows.Close()
	var out []catalog.Duplicate
	for rows.Next() {
		var d catalog.Duplicate
		if err := rows.Scan(&d.Item, &d.EntryID, &d.EntryName, &d.DepartmentID, &d.DepartmentName); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

var _ catalog.Tx = (*Tx)(nil)
