package calendar

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func base2026(t *testing.T) Year {
	t.Helper()
	return BuiltinYears()[1] // a fresh deep copy each time
}

func TestValidateRejects(t *testing.T) {
	d := func(s string) Date { return mustDate(t, s) }
	cases := []struct {
		name  string
		edit  func(y *Year)
		field string
	}{
		{"year too early", func(y *Year) { y.Year = 1999 }, "year"},
		{"year too late", func(y *Year) { y.Year = 2101 }, "year"},
		{"notice empty", func(y *Year) { y.Notice = " \t" }, "notice"},
		{"published after the year", func(y *Year) { p := d("2027-01-01"); y.Published = &p }, "published"},
		{"published invalid", func(y *Year) { y.Published = &Date{2025, 2, 30} }, "published"},
		{"no holidays", func(y *Year) { y.Holidays = nil }, "holidays"},
		{"holiday name empty", func(y *Year) { y.Holidays[2].Name = "" }, "holidays[2].name"},
		{"holiday from missing", func(y *Year) { y.Holidays[1].From = Date{} }, "holidays[1].from"},
		{"holiday to invalid", func(y *Year) { y.Holidays[1].To = Date{2026, 2, 30} }, "holidays[1].to"},
		{"holiday from in another year", func(y *Year) { y.Holidays[0].From = d("2025-12-31") }, "holidays[0].from"},
		{"holiday to in another year", func(y *Year) { y.Holidays[6].To = d("2027-01-01") }, "holidays[6].to"},
		{"holiday to before from", func(y *Year) { y.Holidays[2].To = d("2026-04-03") }, "holidays[2].to"},
		{"holiday longer than 15 days", func(y *Year) { y.Holidays[6].To = d("2026-10-31") }, "holidays[6].to"},
		{"holidays overlap", func(y *Year) { y.Holidays[5].To = d("2026-10-01") }, "holidays[6].from"},
		{"holiday inside an earlier-listed one", func(y *Year) {
			y.Holidays = append(y.Holidays, Holiday{"春节", d("2026-02-20"), d("2026-02-20")})
		}, "holidays[7].from"},
		{"listed first but starts later", func(y *Year) {
			y.Holidays = append([]Holiday{{"春节", d("2026-02-23"), d("2026-02-24")}}, y.Holidays...)
		}, "holidays[2].from"},
		{"make-up name empty", func(y *Year) { y.MakeUpDays[0].Name = "" }, "make_up_working_days[0].name"},
		{"make-up date missing", func(y *Year) { y.MakeUpDays[1].Date = Date{} }, "make_up_working_days[1].date"},
		{"make-up date in another year", func(y *Year) { y.MakeUpDays[0].Date = d("2027-01-02") }, "make_up_working_days[0].date"},
		{"make-up date on a weekday", func(y *Year) { y.MakeUpDays[3].Date = d("2026-05-11") }, "make_up_working_days[3].date"},
		{"make-up date inside a holiday", func(y *Year) { y.MakeUpDays[1].Date = d("2026-02-15") }, "make_up_working_days[1].date"},
		{"make-up date duplicated", func(y *Year) { y.MakeUpDays[2].Date = d("2026-02-14") }, "make_up_working_days[2].date"},
		{"make-up name matches no holiday", func(y *Year) { y.MakeUpDays[4].Name = "国庆" }, "make_up_working_days[4].name"},
		{"working_days disagrees", func(y *Year) { y.WorkingDays = 247 }, "working_days"},
		{"working_days negative", func(y *Year) { y.WorkingDays = -1 }, "working_days"},
		// The classic third-party error: 09-20 and 10-10 as rest days. The
		// count then disagrees with the notice's 248.
		{"make-up days dropped", func(y *Year) { y.MakeUpDays = y.MakeUpDays[:4] }, "working_days"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			y := base2026(t)
			tc.edit(&y)
			err := y.Validate()
			wantFieldError(t, err, tc.field)
			if !strings.HasPrefix(err.Error(), tc.field+": ") {
				t.Errorf("Error() = %q, want it to start with %q", err, tc.field+": ")
			}
			// The same must come out of ParseYear and New when the year
			// can be written as JSON at all.
			if b, merr := json.Marshal(y); merr == nil {
				_, perr := ParseYear(b)
				wantFieldError(t, perr, tc.field)
			}
			_, nerr := New(y)
			wantFieldError(t, nerr, tc.field)
		})
	}
}

func TestValidateAccepts(t *testing.T) {
	y := base2026(t)
	y.WorkingDays = 0 // optional
	if err := y.Validate(); err != nil {
		t.Fatal(err)
	}
	y.Published = nil // optional
	y.MakeUpDays = nil
	if err := y.Validate(); err != nil {
		t.Fatalf("a year without make-up days: %v", err)
	}
	d := func(s string) Date { return mustDate(t, s) }
	// A 15-day holiday is the longest accepted; 16 is a typo.
	long := Year{Year: 2030, Notice: "test", Holidays: []Holiday{{"长假", d("2030-03-01"), d("2030-03-15")}}}
	if err := long.Validate(); err != nil {
		t.Fatalf("15-day holiday: %v", err)
	}
	long.Holidays[0].To = d("2030-03-16")
	wantFieldError(t, long.Validate(), "holidays[0].to")
	// Boundary years.
	for _, yr := range []int{2000, 2100} {
		y := Year{Year: yr, Notice: "test", Holidays: []Holiday{{"元旦", Date{yr, 1, 1}, Date{yr, 1, 1}}}}
		if err := y.Validate(); err != nil {
			t.Fatalf("year %d: %v", yr, err)
		}
	}
}

func TestParseYearStrict(t *testing.T) {
	good, err := os.ReadFile("data/2026.json")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ParseYear(append(bytes.Clone(good), "\n\t \n"...)); err != nil {
		t.Fatalf("trailing whitespace rejected: %v", err)
	}
	bad := map[string]string{
		"unknown top-level field": strings.Replace(string(good), `"working_days"`, `"workingdays"`, 1),
		"unknown nested field":    strings.Replace(string(good), `"from": "2026-01-01"`, `"form": "2026-01-01"`, 1),
		"trailing garbage":        string(good) + "x",
		"two objects":             string(good) + string(good),
		"trailing comma object":   string(good) + ",{}",
		"invalid date":            strings.Replace(string(good), `"2026-02-28"`, `"2026-02-30"`, 1),
		"date as number":          strings.Replace(string(good), `"2026-02-28"`, `20260228`, 1),
		"truncated":               string(good[:len(good)/2]),
		"empty":                   "",
		"array":                   "[]",
		"year as string":          strings.Replace(string(good), `"year": 2026`, `"year": "2026"`, 1),
	}
	for name, s := range bad {
		if _, err := ParseYear([]byte(s)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := ParseYear([]byte(bad["unknown top-level field"])); err == nil || !strings.Contains(err.Error(), "workingdays") {
		t.Errorf("unknown field error %v does not name the field", err)
	}
	if _, err := ParseYear([]byte(bad["invalid date"])); err == nil || !strings.Contains(err.Error(), "2026-02-30") {
		t.Errorf("invalid date error %v does not name the date", err)
	}

	// Missing keys decode as zero values and are caught by Validate.
	missingFrom := strings.Replace(string(good), `"from": "2026-02-15", `, ``, 1)
	_, err = ParseYear([]byte(missingFrom))
	wantFieldError(t, err, "holidays[1].from")
	_, err = ParseYear([]byte("null"))
	wantFieldError(t, err, "year")
	_, err = ParseYear([]byte(`{"year": 2026, "notice": "n", "holidays": null}`))
	wantFieldError(t, err, "holidays")
}

func TestEmbeddedFilesRoundTrip(t *testing.T) {
	files, err := filepath.Glob("data/*.json")
	if err != nil || len(files) != 2 {
		t.Fatalf("data files: %v, %v", files, err)
	}
	for i, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		y, err := ParseYear(b)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if want := strings.TrimSuffix(filepath.Base(f), ".json"); want != itoa(y.Year) {
			t.Errorf("%s holds year %d", f, y.Year)
		}
		if y.WorkingDays != 248 {
			t.Errorf("%s: working_days = %d, want 248 (it guards the dates)", f, y.WorkingDays)
		}
		out, err := json.MarshalIndent(y, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		again, err := ParseYear(out)
		if err != nil {
			t.Fatalf("%s re-encoded: %v\n%s", f, err, out)
		}
		if !reflect.DeepEqual(y, again) {
			t.Errorf("%s does not round-trip:\n%+v\n%+v", f, y, again)
		}
		if !reflect.DeepEqual(y, BuiltinYears()[i]) {
			t.Errorf("%s differs from the embedded copy", f)
		}
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

func TestImportFixtureExtendsDue(t *testing.T) {
	fix := loadFixture(t)
	if !strings.Contains(fix.Notice, "TEST FIXTURE") {
		t.Fatal("the 2027 fixture must say it is not an official notice")
	}
	c := Builtin()
	_, err := c.Due(mustDate(t, "2026-12-18"), 10)
	wantUnknownYear(t, err, 2027)

	c2, err := c.With(fix)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		receipt string
		n       int
		want    string
	}{
		{"2026-12-18", 10, "2027-01-04"}, // 12-21..25, 12-28..31, then 01-01..03 off (fixture)
		{"2026-12-28", 10, "2027-01-12"}, // 12-29,30,31, 01-04..08, 01-11, 01-12
		{"2026-12-31", 1, "2027-01-04"},
		{"2027-02-05", 1, "2027-02-15"}, // fixture Spring Festival 02-06..02-14
		{"2027-02-19", 1, "2027-02-20"}, // fixture make-up Saturday
	}
	for _, tc := range cases {
		got, err := c2.Due(mustDate(t, tc.receipt), tc.n)
		if err != nil || got.String() != tc.want {
			t.Errorf("with 2027: Due(%s, %d) = %s, %v; want %s", tc.receipt, tc.n, got, err, tc.want)
		}
	}
	_, err = c2.Due(mustDate(t, "2027-12-31"), 1)
	wantUnknownYear(t, err, 2028)
}

// The example in FORMAT.md must itself be a valid file.
func TestFormatDocExample(t *testing.T) {
	b, err := os.ReadFile("FORMAT.md")
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	start := strings.Index(s, "```json\n")
	if start < 0 {
		t.Fatal("FORMAT.md has no ```json example")
	}
	s = s[start+len("```json\n"):]
	end := strings.Index(s, "```")
	y, err := ParseYear([]byte(s[:end]))
	if err != nil {
		t.Fatalf("FORMAT.md example: %v", err)
	}
	if !reflect.DeepEqual(y, BuiltinYears()[1]) {
		t.Fatal("FORMAT.md example differs from data/2026.json")
	}
}

func TestFieldErrorIsAs(t *testing.T) {
	y := base2026(t)
	y.Notice = ""
	_, err := New(y)
	var fe *FieldError
	if !errors.As(err, &fe) || fe.Field != "notice" {
		t.Fatalf("errors.As through New: %v", err)
	}
	if y := base2026(t); y.Validate() != nil {
		t.Fatal("valid year: Validate() != nil (typed nil?)")
	}
}
