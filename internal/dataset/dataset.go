// Package dataset is the hosted dataset of a published catalog entry: the
// provider loads the entry's rows onto the platform, checked against the
// published data items, and every insert, update and delete gets the next
// change number of the entry, so that batch exchange can later page through
// the change feed. Each load is one transaction and one versioned step; its
// record in the ledger carries counts only, never row contents, since the
// rows are often personal information.
//
// For now only the provider's sharing office and platform admins read a
// dataset; consumers will read through their grants in a later step.
package dataset

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/govshare/govshare/internal/catalog"
	"github.com/govshare/govshare/internal/problem"
)

// Mode says what a load does with the rows it does not name.
type Mode string

const (
	// Upsert inserts new rows and updates existing ones; others stay.
	Upsert Mode = "upsert"
	// Replace makes the load the whole dataset: live rows it does not name
	// are deleted.
	Replace Mode = "replace"
)

// MaxRows bounds the rows (or keys) of one load.
const MaxRows = 5000

// Row is one row as loaded: data item name → JSON value.
type Row map[string]json.RawMessage

// Load is a provider's load of rows.
type Load struct {
	Rows []Row `json:"rows"`
	Mode Mode  `json:"mode"`
	// Version, when given, must be the dataset's current version (0 before
	// the first load); otherwise the load is refused as a conflict.
	Version *int64 `json:"version,omitempty"`
}

// Deletion names rows to delete by their key items.
type Deletion struct {
	Keys    []Row  `json:"keys"`
	Version *int64 `json:"version,omitempty"`
}

// Dataset is the state of an entry's hosted dataset.
type Dataset struct {
	EntryID      string     `json:"entry_id"`
	EntryVersion int        `json:"entry_version"` // the published catalog version rows are checked against
	ProviderID   string     `json:"provider_id"`
	KeyItems     []string   `json:"key_items"`
	Version      int64      `json:"version"`     // loads so far
	RowCount     int64      `json:"row_count"`   // live rows
	LastChange   int64      `json:"last_change"` // the newest change number, 0 if none
	UpdatedAt    *time.Time `json:"updated_at,omitempty"`
}

// Result is what one load or deletion did; it is also the object the ledger
// digests, so it holds counts only.
type Result struct {
	EntryID     string `json:"entry_id"`
	Mode        string `json:"mode"`
	Version     int64  `json:"version"`
	Received    int    `json:"received"`
	Inserted    int    `json:"inserted"`
	Updated     int    `json:"updated"`
	Unchanged   int    `json:"unchanged"`
	Deleted     int    `json:"deleted"`
	Absent      int    `json:"absent"` // keys to delete that named no live row
	FirstChange int64  `json:"first_change"`
	LastChange  int64  `json:"last_change"`
	RowCount    int64  `json:"row_count"`
}

// Op is what a change did to a row.
type Op string

const (
	OpUpsert Op = "upsert"
	OpDelete Op = "delete"
)

// Change is one entry of the change feed.
type Change struct {
	Seq     int64           `json:"seq"`
	Op      Op              `json:"op"`
	Key     json.RawMessage `json:"key"`
	Data    json.RawMessage `json:"data,omitempty"` // the row after the change; absent on delete
	Version int64           `json:"version"`        // the load that made it
	At      time.Time       `json:"at"`
}

// StoredRow is a row as kept: its canonical key, its data and whether it is
// a tombstone.
type StoredRow struct {
	Key     string
	Data    string
	Deleted bool
	Seq     int64
}

// RowError is one bad value of a load: the row's index (0-based), the data
// item, a stable code, a Chinese title and a detail that never repeats the
// value.
type RowError struct {
	Index int `json:"index"`
	// Row is the row's number in an uploaded file (the header is row 1),
	// absent for rows sent as JSON.
	Row    int    `json:"row,omitempty"`
	Item   string `json:"item,omitempty"`
	Field  string `json:"field"`
	Code   string `json:"code"`
	Title  string `json:"title"`
	Detail string `json:"detail,omitempty"`
}

// InvalidRows refuses a load with bad rows: nothing was written.
type InvalidRows struct {
	Errors []RowError
}

func (e *InvalidRows) Error() string {
	return fmt.Sprintf("dataset.rows_invalid: %d bad value(s)", len(e.Errors))
}

// Problem is the refusal the API shows around Errors.
func (e *InvalidRows) Problem() *problem.Error {
	return &problem.Error{Kind: problem.Invalid, Code: "dataset.rows_invalid", Title: "数据行校验未通过，未写入任何数据",
		Detail: fmt.Sprintf("%d bad value(s); nothing was loaded", len(e.Errors))}
}

// Schema is the published data items of an entry, as rows are checked.
type Schema struct {
	EntryVersion int
	Items        []catalog.Item
	byName       map[string]catalog.Item
	keys         []string
}

var errNoKey = &problem.Error{Kind: problem.Conflict, Code: "dataset.no_key_items", Title: "目录未标注主键数据项，不能托管数据",
	Detail: "the published entry has no key data item (is_key); rows could not be identified, so it cannot be hosted"}

// NewSchema returns the schema of a published version; an entry without key
// items cannot be hosted.
func NewSchema(v catalog.Version) (*Schema, error) {
	s := &Schema{EntryVersion: v.Number, Items: v.Items, byName: map[string]catalog.Item{}}
	for _, it := range v.Items {
		s.byName[it.Name] = it
		if it.IsKey {
			s.keys = append(s.keys, it.Name)
		}
	}
	if len(s.keys) == 0 {
		return nil, errNoKey
	}
	return s, nil
}

// KeyItems are the names of the key items, in catalog order.
func (s *Schema) KeyItems() []string { return slices.Clone(s.keys) }

// Clean is a checked row: its canonical key and data (JSON objects with
// sorted names).
type Clean struct {
	Key  string
	Data string
}

func rowErr(i int, item, path, code, title, detail string) RowError {
	return RowError{Index: i, Item: item, Field: path, Code: code, Title: title, Detail: detail}
}

// CheckRows checks every row and reports every bad value; rows with the same
// key twice are refused too.
func (s *Schema) CheckRows(field string, rows []Row) ([]Clean, error) {
	return s.checkRows(field, rows, MaxRows)
}

func (s *Schema) checkRows(field string, rows []Row, max int) ([]Clean, error) {
	if err := s.count(field, len(rows), max); err != nil {
		return nil, err
	}
	var errs []RowError
	out := make([]Clean, 0, len(rows))
	seen := map[string]int{}
	for i, r := range rows {
		path := fmt.Sprintf("%s[%d]", field, i)
		if r == nil {
			errs = append(errs, rowErr(i, "", path, "dataset.row_not_object", "数据行必须是 JSON 对象", "each row is an object of data item name to value"))
			continue
		}
		vals := map[string]json.RawMessage{}
		for _, name := range sortedNames(r) {
			it, ok := s.byName[name]
			if !ok {
				errs = append(errs, rowErr(i, name, path+"."+name, "dataset.item_unknown", "数据项不属于该目录",
					"the published entry has no data item of this name"))
				continue
			}
			v := bytes.TrimSpace(r[name])
			if len(v) == 0 || string(v) == "null" {
				continue
			}
			if e := checkValue(it, v); e != nil {
				e.Index, e.Item, e.Field = i, name, path+"."+name
				errs = append(errs, *e)
				continue
			}
			var buf bytes.Buffer
			_ = json.Compact(&buf, v)
			vals[name] = buf.Bytes()
		}
		for _, it := range s.Items {
			if _, ok := vals[it.Name]; ok || !(it.Required || it.IsKey) {
				continue
			}
			if _, given := r[it.Name]; given && len(bytes.TrimSpace(r[it.Name])) > 0 && string(bytes.TrimSpace(r[it.Name])) != "null" {
				continue // present but bad: already reported
			}
			errs = append(errs, rowErr(i, it.Name, path+"."+it.Name, "dataset.item_required", "缺少必填数据项",
				"this data item is required (key items always are)"))
		}
		key, ok := s.keyOf(vals)
		if !ok {
			continue
		}
		if j, dup := seen[key]; dup {
			errs = append(errs, rowErr(i, "", path, "dataset.key_duplicate", "同一批数据中主键重复",
				fmt.Sprintf("row %d has the same key items", j)))
			continue
		}
		seen[key] = i
		data, _ := json.Marshal(vals)
		out = append(out, Clean{Key: key, Data: string(data)})
	}
	if len(errs) > 0 {
		return nil, &InvalidRows{Errors: errs}
	}
	return out, nil
}

// CheckKeys checks keys to delete: exactly the key items, each valid.
func (s *Schema) CheckKeys(field string, keys []Row) ([]string, error) {
	if err := s.count(field, len(keys), MaxRows); err != nil {
		return nil, err
	}
	var errs []RowError
	var out []string
	seen := map[string]bool{}
	for i, r := range keys {
		path := fmt.Sprintf("%s[%d]", field, i)
		vals := map[string]json.RawMessage{}
		for _, name := range sortedNames(r) {
			it, ok := s.byName[name]
			if !ok || !it.IsKey {
				errs = append(errs, rowErr(i, name, path+"."+name, "dataset.not_key_item", "只能按主键数据项删除",
					"a key to delete names only the entry's key items"))
				continue
			}
			v := bytes.TrimSpace(r[name])
			if len(v) == 0 || string(v) == "null" {
				continue
			}
			if e := checkValue(it, v); e != nil {
				e.Index, e.Item, e.Field = i, name, path+"."+name
				errs = append(errs, *e)
				continue
			}
			var buf bytes.Buffer
			_ = json.Compact(&buf, v)
			vals[name] = buf.Bytes()
		}
		for _, k := range s.keys {
			if _, ok := vals[k]; !ok {
				if v := bytes.TrimSpace(r[k]); len(v) > 0 && string(v) != "null" {
					continue
				}
				errs = append(errs, rowErr(i, k, path+"."+k, "dataset.item_required", "缺少必填数据项", "every key item is required"))
			}
		}
		if key, ok := s.keyOf(vals); ok && !seen[key] {
			seen[key] = true
			out = append(out, key)
		}
	}
	if len(errs) > 0 {
		return nil, &InvalidRows{Errors: errs}
	}
	return out, nil
}

func (s *Schema) count(field string, n, max int) error {
	if n == 0 {
		return problem.Field(field, "dataset.rows_required", "至少需要一行数据", "give at least one row")
	}
	if n > max {
		return problem.Fieldf(field, "dataset.too_many_rows", "单次数据行过多", "one request may carry at most %d rows; got %d", max, n)
	}
	return nil
}

// keyOf is the canonical key: the JSON object of the key items' values.
func (s *Schema) keyOf(vals map[string]json.RawMessage) (string, bool) {
	k := map[string]json.RawMessage{}
	for _, name := range s.keys {
		v, ok := vals[name]
		if !ok {
			return "", false
		}
		k[name] = v
	}
	b, _ := json.Marshal(k)
	return string(b), true
}

func sortedNames(r Row) []string {
	names := make([]string, 0, len(r))
	for n := range r {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

func typeErr(code, title, detail string) *RowError {
	return &RowError{Code: code, Title: title, Detail: detail}
}

// checkValue checks one non-null value against its item's data type code.
func checkValue(it catalog.Item, v json.RawMessage) *RowError {
	wrong := func(want string) *RowError {
		return typeErr("dataset.type_mismatch", "数据类型不符", fmt.Sprintf("data type %s wants %s", it.DataType, want))
	}
	str := func() (string, bool) {
		if v[0] != '"' {
			return "", false
		}
		var s string
		if err := json.Unmarshal(v, &s); err != nil {
			return "", false
		}
		return s, true
	}
	switch it.DataType {
	case "N", "Y", "B", "F", "I":
		if v[0] != '-' && (v[0] < '0' || v[0] > '9') {
			return wrong("a JSON number")
		}
		var n json.Number
		if err := json.Unmarshal(v, &n); err != nil {
			return wrong("a JSON number")
		}
		digits := strings.TrimLeft(string(n), "-")
		if it.DataType == "I" && strings.ContainsAny(digits, ".eE") {
			return wrong("an integer")
		}
		if (it.DataType == "N" || it.DataType == "Y") && it.Length > 0 && !strings.ContainsAny(digits, "eE") {
			if d := len(strings.Replace(digits, ".", "", 1)); d > it.Length {
				return typeErr("dataset.too_long", "数值位数超过数据长度", fmt.Sprintf("at most %d digits; got %d", it.Length, d))
			}
		}
	case "D":
		s, ok := str()
		if !ok {
			return wrong("a date YYYY-MM-DD")
		}
		if _, err := time.Parse(time.DateOnly, s); err != nil {
			return wrong("a date YYYY-MM-DD")
		}
	case "T":
		s, ok := str()
		if !ok {
			return wrong("a date-time in RFC 3339, e.g. 2026-09-28T10:00:00+08:00")
		}
		if _, err := time.Parse(time.RFC3339, s); err != nil {
			return wrong("a date-time in RFC 3339, e.g. 2026-09-28T10:00:00+08:00")
		}
	case "L":
		if string(v) != "true" && string(v) != "false" {
			return wrong("true or false")
		}
	case "G":
		s, ok := str()
		if !ok {
			return wrong("base64 text")
		}
		if _, err := base64.StdEncoding.DecodeString(s); err != nil {
			return wrong("base64 text")
		}
	default: // C, M
		s, ok := str()
		if !ok {
			return wrong("text")
		}
		if n := utf8.RuneCountInString(s); it.Length > 0 && n > it.Length {
			return typeErr("dataset.too_long", "文本长度超过数据长度", fmt.Sprintf("at most %d characters; got %d", it.Length, n))
		}
	}
	return nil
}

// Lookup is the canonical key of one row named by all its key items (the
// same key loads store rows under), for a consumer's exact-match read;
// errors name field.item.
func (s *Schema) Lookup(field string, where Row) (string, error) {
	if len(where) == 0 {
		return "", problem.Field(field, "dataset.key_required", "请按主键数据项指明数据行", "name every key item of the entry")
	}
	keys, err := s.CheckKeys(field, []Row{where})
	var bad *InvalidRows
	if errors.As(err, &bad) && len(bad.Errors) > 0 {
		e := bad.Errors[0]
		return "", &problem.Error{Kind: problem.Invalid, Code: e.Code, Title: e.Title, Detail: e.Detail, Field: field + "." + e.Item}
	}
	if err != nil {
		return "", err
	}
	return keys[0], nil
}
