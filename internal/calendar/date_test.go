package calendar

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	good := map[string]Date{
		"2026-02-28": {2026, time.February, 28},
		"2024-02-29": {2024, time.February, 29},
		"2000-02-29": {2000, time.February, 29},
		"2026-12-31": {2026, time.December, 31},
		"0001-01-01": {1, time.January, 1},
	}
	for s, want := range good {
		got, err := ParseDate(s)
		if err != nil || got != want {
			t.Errorf("ParseDate(%q) = %v, %v; want %v", s, got, err, want)
		}
		if got.String() != s {
			t.Errorf("String() = %q, want %q", got.String(), s)
		}
	}
	bad := []string{
		"2026-02-30", "2026-02-29", "2100-02-29", "2026-04-31", "2026-13-01", "2026-00-10",
		"2026-01-00", "0000-01-01", "2026-1-05", "2026/01/05", "26-01-05", "2026-01-05T00:00:00Z",
		" 2026-01-05", "2026-01-05 ", "+202-01-05", "2026-0a-05", "", "２０２６-01-05",
	}
	for _, s := range bad {
		_, err := ParseDate(s)
		if err == nil {
			t.Errorf("ParseDate(%q) accepted", s)
			continue
		}
		if !strings.Contains(err.Error(), s) {
			t.Errorf("ParseDate(%q) error %q does not mention the input", s, err)
		}
	}
}

func TestDateArithmetic(t *testing.T) {
	d := Date{2025, time.December, 31}
	if got := d.AddDays(1); got != (Date{2026, time.January, 1}) {
		t.Errorf("AddDays(1) = %v", got)
	}
	if got := (Date{2024, time.March, 1}).AddDays(-1); got != (Date{2024, time.February, 29}) {
		t.Errorf("AddDays(-1) = %v", got)
	}
	if got := d.AddDays(0); got != d {
		t.Errorf("AddDays(0) = %v", got)
	}
	if got := d.AddDays(366); got != (Date{2027, time.January, 1}) {
		t.Errorf("AddDays(366) = %v", got)
	}
	if wd := (Date{2026, time.September, 20}).Weekday(); wd != time.Sunday {
		t.Errorf("2026-09-20 is %v, want Sunday", wd)
	}
	if wd := (Date{2026, time.October, 10}).Weekday(); wd != time.Saturday {
		t.Errorf("2026-10-10 is %v, want Saturday", wd)
	}
	a, b := Date{2026, 1, 31}, Date{2026, 2, 1}
	if !a.Before(b) || b.Before(a) || a.Before(a) || !b.After(a) || a.Compare(a) != 0 {
		t.Error("Before/After/Compare wrong")
	}
	if !(Date{2025, 12, 31}).Before(Date{2026, 1, 1}) {
		t.Error("Before across years wrong")
	}
}

func TestYearDayRoundTrip(t *testing.T) {
	for y := 1999; y <= 2101; y++ {
		i := 0
		for d := (Date{y, time.January, 1}); d.Year == y; d = d.AddDays(1) {
			if got := d.yearDay(); got != i {
				t.Fatalf("%v.yearDay() = %d, want %d", d, got, i)
			}
			if got := fromYearDay(y, i); got != d {
				t.Fatalf("fromYearDay(%d, %d) = %v, want %v", y, i, got, d)
			}
			i++
		}
		if i != daysInYear(y) {
			t.Fatalf("%d has %d days, daysInYear says %d", y, i, daysInYear(y))
		}
	}
}

func TestDateOfAndEndOfDay(t *testing.T) {
	if got := DateOf(time.Date(2026, 1, 5, 16, 0, 0, 0, time.UTC)); got != (Date{2026, 1, 6}) {
		t.Errorf("DateOf(16:00Z) = %v, want 2026-01-06", got)
	}
	if got := DateOf(time.Date(2026, 1, 5, 15, 59, 59, 0, time.UTC)); got != (Date{2026, 1, 5}) {
		t.Errorf("DateOf(15:59:59Z) = %v, want 2026-01-05", got)
	}
	e := (Date{2026, 10, 16}).EndOfDay()
	if want := time.Date(2026, 10, 16, 15, 59, 59, 999999999, time.UTC); !e.Equal(want) {
		t.Errorf("EndOfDay = %v, want %v", e, want)
	}
	if DateOf(e) != (Date{2026, 10, 16}) || DateOf(e.Add(time.Nanosecond)) != (Date{2026, 10, 17}) {
		t.Error("EndOfDay is not the last instant of the day")
	}
	if Shanghai == nil || Shanghai.String() != "Asia/Shanghai" {
		t.Errorf("Shanghai = %v, want Asia/Shanghai (tzdata is embedded)", Shanghai)
	}
}

func TestDateJSON(t *testing.T) {
	type wrap struct {
		D Date  `json:"d"`
		P *Date `json:"p,omitempty"`
	}
	in := wrap{D: Date{2026, 9, 20}}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != `{"d":"2026-09-20"}` {
		t.Fatalf("Marshal = %s", b)
	}
	var out wrap
	if err := json.Unmarshal(b, &out); err != nil || out != in {
		t.Fatalf("Unmarshal = %+v, %v", out, err)
	}
	for _, s := range []string{`{"d":"2026-02-30"}`, `{"d":20260920}`, `{"d":"2026-9-20"}`} {
		if err := json.Unmarshal([]byte(s), &out); err == nil {
			t.Errorf("Unmarshal(%s) accepted", s)
		}
	}
	if _, err := json.Marshal(wrap{}); err == nil {
		t.Error("Marshal of the zero date succeeded; it could not be read back")
	}
}
