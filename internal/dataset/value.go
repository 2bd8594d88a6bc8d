package dataset

import (
	"bytes"
	"encoding/json"

	"github.com/govshare/govshare/internal/problem"
)

// CheckValue checks one value of the named data item as a load checks it
// (data type, length), for values that come from elsewhere than a load,
// such as a provider's upstream system. null is valid (an absent value).
// The refusal names field and never repeats the value.
func (s *Schema) CheckValue(field, item string, v json.RawMessage) error {
	it, ok := s.byName[item]
	if !ok {
		return problem.Field(field, "dataset.item_unknown", "数据项不属于该目录", "the published entry has no data item of this name")
	}
	v = bytes.TrimSpace(v)
	if len(v) == 0 || string(v) == "null" {
		return nil
	}
	if e := checkValue(it, v); e != nil {
		return problem.Field(field, e.Code, e.Title, e.Detail)
	}
	return nil
}

// IsKey reports whether item is one of the entry's key items.
func (s *Schema) IsKey(item string) bool { return s.byName[item].IsKey }
