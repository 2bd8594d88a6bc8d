package calendar

import (
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"testing"
)

// FuzzParseYear checks that ParseYear never panics on any input, and that
// whatever it accepts is usable: it validates, builds a calendar, and
// survives an encode/decode round trip unchanged.
func FuzzParseYear(f *testing.F) {
	for _, p := range []string{"data/2025.json", "data/2026.json", "testdata/2027-fixture.json"} {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"year":2030,"notice":"n","holidays":[{"name":"a","from":"2030-01-01","to":"2030-01-01"}],"make_up_working_days":[]}`))
	f.Add([]byte(`{"year":2030,"notice":"n","holidays":[{"name":"a","from":"2030-12-31","to":"2030-12-31"}],"make_up_working_days":[{"name":"a","date":"2030-12-28"}],"working_days":1}`))
	f.Add([]byte(`null`))
	f.Add([]byte(`{"year":2026}x`))
	f.Fuzz(func(t *testing.T, data []byte) {
		y, err := ParseYear(data)
		if err != nil {
			return
		}
		if err := y.Validate(); err != nil {
			t.Fatalf("accepted but invalid: %v", err)
		}
		c, err := New(y)
		if err != nil {
			t.Fatalf("accepted but New fails: %v", err)
		}
		if _, err := c.Due(Date{y.Year, 1, 1}, 1); err != nil {
			// Only possible if holidays cover the rest of the year.
			if !errors.Is(err, ErrUnknownYear) {
				t.Fatalf("Due: %v", err)
			}
		}
		b, err := json.Marshal(y)
		if err != nil {
			t.Fatalf("accepted but cannot encode: %v", err)
		}
		again, err := ParseYear(b)
		if err != nil || !reflect.DeepEqual(y, again) {
			t.Fatalf("round trip: %v\n%+v\n%+v", err, y, again)
		}
	})
}
