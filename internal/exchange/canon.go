package exchange

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
	"unicode/utf8"

	"github.com/govshare/govshare/internal/catalog"
	"github.com/govshare/govshare/internal/delivery"
)

// A page's records are written in one canonical form, byte for byte as they
// appear in the body and as the checksum covers them:
//
//	{"op":"upsert","seq":N,"row":{...}}   a row as it now is
//	{"op":"delete","seq":N,"key":{...}}   a row deleted (a tombstone)
//
// Objects keep the stored order of their members (sorted by the UTF-8 bytes
// of the names), without white space; strings escape only '"', '\' and
// control characters (\b \f \n \r \t, others as \u00XX), so non-ASCII text
// is sent as UTF-8; numbers, true, false and null are as the provider loaded
// them.

var errStored = errors.New("exchange: stored row is not a JSON object")

// filterObject appends to dst the canonical form of the stored JSON object
// obj, keeping the members named in keep (every member when keep is nil).
// When item is not "", it also returns that member's value as text (a
// string unquoted, another value as written), "" when absent or null; the
// member is read whether it is kept or not.
func filterObject(dst *bytes.Buffer, obj []byte, keep map[string]bool, mask map[string]catalog.DataType, item string) (string, error) {
	i := skipSpace(obj, 0)
	if i >= len(obj) || obj[i] != '{' {
		return "", errStored
	}
	i = skipSpace(obj, i+1)
	dst.WriteByte('{')
	first, found := true, ""
	if i < len(obj) && obj[i] == '}' {
		dst.WriteByte('}')
		return "", nil
	}
	for {
		if i >= len(obj) || obj[i] != '"' {
			return "", errStored
		}
		end, err := stringEnd(obj, i)
		if err != nil {
			return "", err
		}
		rawName := obj[i:end]
		inner := rawName[1 : len(rawName)-1]
		// Names are item names: almost never escaped, so they are looked
		// up in place, without a copy.
		var kept, isItem, masked bool
		var dataType catalog.DataType
		if clean(inner) {
			kept = keep == nil || keep[string(inner)]
			isItem = item != "" && string(inner) == item
			dataType, masked = mask[string(inner)]
		} else {
			name, err := unquote(rawName)
			if err != nil {
				return "", err
			}
			kept = keep == nil || keep[name]
			isItem = item != "" && name == item
			dataType, masked = mask[name]
			rawName = nil
			if kept {
				var b bytes.Buffer
				writeString(&b, name)
				rawName = b.Bytes()
			}
		}
		i = skipSpace(obj, end)
		if i >= len(obj) || obj[i] != ':' {
			return "", errStored
		}
		i = skipSpace(obj, i+1)
		vEnd, err := valueEnd(obj, i)
		if err != nil {
			return "", err
		}
		val := obj[i:vEnd]
		if isItem {
			if found, err = textOf(val); err != nil {
				return "", err
			}
		}
		if kept {
			if !first {
				dst.WriteByte(',')
			}
			first = false
			dst.Write(rawName)
			dst.WriteByte(':')
			if masked {
				dst.Write(delivery.MaskValue(dataType, val))
			} else if err := writeValue(dst, val); err != nil {
				return "", err
			}
		}
		i = skipSpace(obj, vEnd)
		if i >= len(obj) {
			return "", errStored
		}
		if obj[i] == '}' {
			dst.WriteByte('}')
			return found, nil
		}
		if obj[i] != ',' {
			return "", errStored
		}
		i = skipSpace(obj, i+1)
	}
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// stringEnd returns the index after the closing quote of the string at i.
func stringEnd(b []byte, i int) (int, error) {
	for j := i + 1; j < len(b); j++ {
		switch b[j] {
		case '\\':
			j++
		case '"':
			return j + 1, nil
		}
	}
	return 0, errStored
}

// valueEnd returns the index after the JSON value at i.
func valueEnd(b []byte, i int) (int, error) {
	if i >= len(b) {
		return 0, errStored
	}
	switch b[i] {
	case '"':
		return stringEnd(b, i)
	case '{', '[':
		depth := 0
		for j := i; j < len(b); j++ {
			switch b[j] {
			case '"':
				e, err := stringEnd(b, j)
				if err != nil {
					return 0, err
				}
				j = e - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return j + 1, nil
				}
			}
		}
		return 0, errStored
	}
	j := i
	for j < len(b) && b[j] != ',' && b[j] != '}' && b[j] != ']' && b[j] != ' ' {
		j++
	}
	if j == i {
		return 0, errStored
	}
	return j, nil
}

// unquote returns the text of a JSON string; without escapes it is the bytes
// between the quotes.
func unquote(raw []byte) (string, error) {
	inner := raw[1 : len(raw)-1]
	if bytes.IndexByte(inner, '\\') < 0 {
		return string(inner), nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", errStored
	}
	return s, nil
}

// textOf is a value as text: a string unquoted, null as "", anything else as
// written.
func textOf(v []byte) (string, error) {
	switch {
	case len(v) > 0 && v[0] == '"':
		return unquote(v)
	case string(v) == "null":
		return "", nil
	}
	return string(v), nil
}

// writeValue writes a stored value canonically: strings re-escaped, other
// scalars as they are, arrays and objects member by member.
func writeValue(dst *bytes.Buffer, v []byte) error {
	switch v[0] {
	case '"':
		inner := v[1 : len(v)-1]
		if clean(inner) {
			dst.Write(v)
			return nil
		}
		s, err := unquote(v)
		if err != nil {
			return err
		}
		writeString(dst, s)
		return nil
	case '{':
		_, err := filterObject(dst, v, nil, nil, "")
		return err
	case '[':
		dst.WriteByte('[')
		i := skipSpace(v, 1)
		first := true
		for i < len(v) && v[i] != ']' {
			e, err := valueEnd(v, i)
			if err != nil {
				return err
			}
			if !first {
				dst.WriteByte(',')
			}
			first = false
			if err := writeValue(dst, v[i:e]); err != nil {
				return err
			}
			i = skipSpace(v, e)
			if i < len(v) && v[i] == ',' {
				i = skipSpace(v, i+1)
			}
		}
		dst.WriteByte(']')
		return nil
	}
	dst.Write(v)
	return nil
}

// clean reports whether a string's raw bytes are already canonical: no
// escape and valid UTF-8 (control characters cannot occur unescaped in JSON).
func clean(inner []byte) bool {
	return bytes.IndexByte(inner, '\\') < 0 && utf8.Valid(inner)
}

const hexDigits = "0123456789abcdef"

// writeString writes s as a canonical JSON string.
func writeString(dst *bytes.Buffer, s string) {
	dst.WriteByte('"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		dst.WriteString(s[start:i])
		switch c {
		case '"', '\\':
			dst.WriteByte('\\')
			dst.WriteByte(c)
		case '\b':
			dst.WriteString(`\b`)
		case '\f':
			dst.WriteString(`\f`)
		case '\n':
			dst.WriteString(`\n`)
		case '\r':
			dst.WriteString(`\r`)
		case '\t':
			dst.WriteString(`\t`)
		default:
			dst.WriteString(`\u00`)
			dst.WriteByte(hexDigits[c>>4])
			dst.WriteByte(hexDigits[c&0xf])
		}
		start = i + 1
	}
	dst.WriteString(s[start:])
	dst.WriteByte('"')
}

// writeUpsert appends the record of a row as it now is; the member of item
// (if any) is returned as text.
func writeUpsert(dst *bytes.Buffer, seq int64, data []byte, keep map[string]bool, mask map[string]catalog.DataType, item string) (string, error) {
	mark := dst.Len()
	dst.WriteString(`{"op":"upsert","seq":`)
	dst.WriteString(strconv.FormatInt(seq, 10))
	dst.WriteString(`,"row":`)
	v, err := filterObject(dst, data, keep, mask, item)
	if err != nil {
		dst.Truncate(mark)
		return "", err
	}
	dst.WriteByte('}')
	return v, nil
}

// writeDelete appends the record of a deleted row, named by its key items.
func writeDelete(dst *bytes.Buffer, seq int64, key []byte) error {
	mark := dst.Len()
	dst.WriteString(`{"op":"delete","seq":`)
	dst.WriteString(strconv.FormatInt(seq, 10))
	dst.WriteString(`,"key":`)
	if _, err := filterObject(dst, key, nil, nil, ""); err != nil {
		dst.Truncate(mark)
		return err
	}
	dst.WriteByte('}')
	return nil
}

// divisionOf reads the division item of a stored row without writing it.
func divisionOf(data []byte, item string) (string, error) {
	var sink bytes.Buffer
	return filterObject(&sink, data, map[string]bool{}, nil, item)
}
