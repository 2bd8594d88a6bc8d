package delivery

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/govshare/govshare/internal/catalog"
	"github.com/govshare/govshare/internal/dataset"
	"github.com/govshare/govshare/internal/grant"
)

// Sensitive reports whether a data item of grade g is delivered masked
// unless the grant names it in clear. GB/T 43697-2024 grades data core,
// important and general by the harm its leak would do, and provincial
// practice splits general data into L4 sensitive down to L1 not sensitive,
// tying how data may be shared to its grade (PRACTICE.md, "Classification
// and grading"): core, important and general L4 are sensitive. An unknown or
// missing grade counts as sensitive, so that a gap in the catalog never lets
// a value through in clear.
func Sensitive(g catalog.Grade) bool {
	switch g {
	case catalog.GeneralL3, catalog.GeneralL2, catalog.GeneralL1:
		return false
	}
	return true
}

// maskedScalar replaces a number, date, time, boolean or binary value whole:
// a part of it (the year of a birth date, the leading digits of an amount)
// would still tell too much.
var maskedScalar = json.RawMessage(`"***"`)

// MaskValue is the masked form of value v of an item of data type t:
// a character or memo string keeps a few characters at each end (see
// MaskString); any other value becomes the string "***"; null stays null,
// since it discloses nothing.
func MaskValue(t catalog.DataType, v json.RawMessage) json.RawMessage {
	v = bytes.TrimSpace(v)
	if bytes.Equal(v, []byte("null")) {
		return v
	}
	if (t == "C" || t == "M") && len(v) > 0 && v[0] == '"' {
		var s string
		if json.Unmarshal(v, &s) == nil {
			b, _ := json.Marshal(MaskString(s))
			return b
		}
	}
	return maskedScalar
}

// MaskString keeps a prefix and a suffix of s and replaces every character
// between them with '*', keeping the length in characters, so the consumer
// can still tell which record it holds (the common practice for identity
// numbers and telephone numbers, GB/T 35273-2020 annex A):
//
//	length 1       "*"
//	length 2-3     first character kept ("张*", "张**")
//	length 4-6     first and last kept
//	length 7-10    first two and last two kept
//	length 11 up   first three and last four kept (18-digit ID 330***********1234,
//	               mobile 138****5678)
func MaskString(s string) string {
	n := utf8.RuneCountInString(s)
	var head, tail int
	switch {
	case n <= 1:
		head, tail = 0, 0
	case n <= 3:
		head, tail = 1, 0
	case n <= 6:
		head, tail = 1, 1
	case n <= 10:
		head, tail = 2, 2
	default:
		head, tail = 3, 4
	}
	var b strings.Builder
	b.Grow(len(s))
	i := 0
	for _, r := range s {
		if i < head || i >= n-tail {
			b.WriteRune(r)
		} else {
			b.WriteByte('*')
		}
		i++
	}
	return b.String()
}

// deliverRows is the last step of every query, whatever the rows' source
// (a hosted dataset or a provider's upstream service): it keeps only the
// asked items of each row and masks the sensitive ones the grant does not
// name in clear. It returns the rows to answer with and the names of the
// items delivered masked (none when no row is delivered). items must have
// passed grant.Check; an item the schema does not know is masked as
// sensitive.
func deliverRows(g grant.Grant, schema *dataset.Schema, items []string, rows []map[string]json.RawMessage) ([]map[string]json.RawMessage, []string) {
	// An entry has a few dozen items at most: a scan costs less than a map.
	itemOf := func(name string) catalog.Item {
		if schema != nil {
			for _, it := range schema.Items {
				if it.Name == name {
					return it
				}
			}
		}
		return catalog.Item{}
	}
	var masked []string
	for _, it := range items {
		if Sensitive(itemOf(it).Grade) && !g.InClear(it) {
			masked = append(masked, it)
		}
	}
	out := make([]map[string]json.RawMessage, 0, len(rows))
	for _, row := range rows {
		r := make(map[string]json.RawMessage, len(items))
		for _, it := range items {
			v, ok := row[it]
			if !ok {
				continue
			}
			if slices.Contains(masked, it) {
				v = MaskValue(itemOf(it).DataType, v)
			}
			r[it] = v
		}
		out = append(out, r)
	}
	if len(out) == 0 {
		masked = nil
	}
	return out, masked
}
