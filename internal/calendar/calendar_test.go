package calendar

import (
	"os"
	"reflect"
	"sync"
	"testing"
	"time"
)

func loadFixture(t testing.TB) Year {
	t.Helper()
	b, err := os.ReadFile("testdata/2027-fixture.json")
	if err != nil {
		t.Fatal(err)
	}
	y, err := ParseYear(b)
	if err != nil {
		t.Fatal(err)
	}
	return y
}

func TestBuiltinLoads(t *testing.T) {
	// Builtin panics on bad embedded data; this test is what keeps that
	// panic out of releases.
	c := Builtin()
	if got := c.Years(); !reflect.DeepEqual(got, []int{2025, 2026}) {
		t.Fatalf("Years() = %v, want [2025 2026]", got)
	}
	ys := BuiltinYears()
	if len(ys) != 2 || ys[0].Year != 2025 || ys[1].Year != 2026 {
		t.Fatalf("BuiltinYears() years wrong: %+v", ys)
	}
}

func TestWorkingDaysPerYear(t *testing.T) {
	c := Builtin()
	for _, year := range []int{2025, 2026} {
		n := 0
		for d := (Date{year, time.January, 1}); d.Year == year; d = d.AddDays(1) {
			if ok, err := c.IsWorkingDay(d); err != nil {
				t.Fatal(err)
			} else if ok {
				n++
			}
		}
		if n != 248 {
			t.Errorf("%d has %d working days, want 248", year, n)
		}
		// (31 Dec of the year before, 31 Dec] is the whole year; for 2025
		// this also shows that the excluded start day's year (2024) need
		// not be known.
		got, err := c.WorkingDaysBetween(Date{year - 1, time.December, 31}, Date{year, time.December, 31})
		if err != nil || got != 248 {
			t.Errorf("WorkingDaysBetween over %d = %d, %v; want 248", year, got, err)
		}
	}
}

func TestEveryDayMatchesReference(t *testing.T) {
	c := Builtin()
	for d := refParse("2025-01-01"); d.Year() <= 2026; d = d.AddDate(0, 0, 1) {
		s := d.Format("2006-01-02")
		got, err := c.IsWorkingDay(mustDate(t, s))
		if err != nil {
			t.Fatal(err)
		}
		if want := refWorking(d); got != want {
			t.Errorf("IsWorkingDay(%s) = %v, want %v", s, got, want)
		}
	}
}

func TestSpecificDays(t *testing.T) {
	c := Builtin()
	cases := []struct {
		date    string
		kind    DayKind
		working bool
		name    string
	}{
		// Some third-party data sets mark these two as rest days; the
		// notice makes them working days.
		{"2026-09-20", KindMakeUpWorkday, true, "国庆节"},
		{"2026-10-10", KindMakeUpWorkday, true, "国庆节"},
		{"2026-01-04", KindMakeUpWorkday, true, "元旦"},
		{"2026-02-14", KindMakeUpWorkday, true, "春节"},
		{"2026-02-28", KindMakeUpWorkday, true, "春节"},
		{"2026-05-09", KindMakeUpWorkday, true, "劳动节"},
		{"2025-01-26", KindMakeUpWorkday, true, "春节"},
		{"2025-09-28", KindMakeUpWorkday, true, "国庆节、中秋节"},
		{"2025-10-11", KindMakeUpWorkday, true, "国庆节、中秋节"},
		{"2025-10-08", KindHoliday, false, "国庆节、中秋节"},
		{"2026-10-01", KindHoliday, false, "国庆节"},
		{"2026-09-25", KindHoliday, false, "中秋节"},
		{"2026-02-23", KindHoliday, false, "春节"},
		{"2026-01-03", KindHoliday, false, "元旦"}, // a Saturday inside a holiday is a holiday
		{"2026-03-07", KindWeekend, false, ""},
		{"2026-03-08", KindWeekend, false, ""},
		{"2025-10-12", KindWeekend, false, ""},
		{"2026-03-09", KindWorkday, true, ""},
		{"2025-12-31", KindWorkday, true, ""},
	}
	for _, tc := range cases {
		d, err := c.Day(mustDate(t, tc.date))
		if err != nil {
			t.Fatal(err)
		}
		want := Day{Date: mustDate(t, tc.date), Kind: tc.kind, Working: tc.working, Holiday: tc.name}
		if d != want {
			t.Errorf("Day(%s) = %+v, want %+v", tc.date, d, want)
		}
	}
}

func TestWeekendsAreOffExceptMakeUp(t *testing.T) {
	c := Builtin()
	for d := mustDate(t, "2025-01-01"); d.Year <= 2026; d = d.AddDays(1) {
		wd := d.Weekday()
		if wd != time.Saturday && wd != time.Sunday {
			continue
		}
		day, _ := c.Day(d)
		if day.Working != refMakeUp[d.String()] {
			t.Errorf("%s (%s) working = %v", d, wd, day.Working)
		}
	}
}

func TestDayUnknownAndInvalid(t *testing.T) {
	c := Builtin()
	_, err := c.Day(mustDate(t, "2024-12-31"))
	wantUnknownYear(t, err, 2024)
	_, err = c.IsWorkingDay(mustDate(t, "2027-01-01"))
	wantUnknownYear(t, err, 2027)
	_, err = c.IsWorkingDay(Date{2026, 13, 1})
	wantFieldError(t, err, "date")
	_, err = c.Day(Date{})
	wantFieldError(t, err, "date")
}

func TestNewAndWith(t *testing.T) {
	ys := BuiltinYears()
	if _, err := New(ys[0], ys[0]); err == nil {
		t.Fatal("New with a duplicate year: no error")
	}
	bad := ys[1]
	bad.Notice = ""
	if _, err := New(ys[0], bad); err == nil {
		t.Fatal("New with an invalid year: no error")
	} else {
		wantFieldError(t, err, "notice")
	}

	empty, err := New()
	if err != nil {
		t.Fatal(err)
	}
	if empty.Knows(2026) || len(empty.Years()) != 0 {
		t.Fatal("empty calendar knows something")
	}
	_, err = empty.Due(mustDate(t, "2026-03-02"), 1)
	wantUnknownYear(t, err, 2026)

	// Out of order, with a gap, via New.
	fix := loadFixture(t)
	c, err := New(fix, ys[0])
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Years(); !reflect.DeepEqual(got, []int{2025, 2027}) {
		t.Fatalf("Years() = %v", got)
	}
	if c.Knows(2026) {
		t.Fatal("knows 2026")
	}
	c2, err := c.With(ys[1])
	if err != nil {
		t.Fatal(err)
	}
	if got := c2.Years(); !reflect.DeepEqual(got, []int{2025, 2026, 2027}) {
		t.Fatalf("Years() = %v", got)
	}
	if c.Knows(2026) {
		t.Fatal("With modified the original calendar")
	}

	// Replacing a year: a (hypothetical) adjusting notice with one more
	// make-up day changes answers only in the new calendar.
	adj := ys[1]
	adj.WorkingDays = 249
	adj.MakeUpDays = append(adj.MakeUpDays[:len(adj.MakeUpDays):len(adj.MakeUpDays)], MakeUpDay{"国庆节", mustDate(t, "2026-10-11")})
	b := Builtin()
	b2, err := b.With(adj)
	if err != nil {
		t.Fatal(err)
	}
	if ok, _ := b2.IsWorkingDay(mustDate(t, "2026-10-11")); !ok {
		t.Fatal("replacement not applied")
	}
	if ok, _ := b.IsWorkingDay(mustDate(t, "2026-10-11")); ok {
		t.Fatal("With modified the builtin calendar")
	}
	if got := b2.Years(); !reflect.DeepEqual(got, []int{2025, 2026}) {
		t.Fatalf("Years() after replace = %v", got)
	}
	if _, err := b.With(Year{Year: 2027}); err == nil {
		t.Fatal("With accepted an invalid year")
	}
}

func TestYearReturnsCopy(t *testing.T) {
	c := Builtin()
	y, ok := c.Year(2026)
	if !ok {
		t.Fatal("no 2026")
	}
	y.Holidays[0].Name = "changed"
	y.Published.Day = 1
	again, _ := c.Year(2026)
	if again.Holidays[0].Name != "元旦" || again.Published.String() != "2025-11-04" {
		t.Fatal("Year() exposes the calendar's internal data")
	}
	bs := BuiltinYears()
	bs[0].MakeUpDays[0].Name = "changed"
	if BuiltinYears()[0].MakeUpDays[0].Name != "春节" {
		t.Fatal("BuiltinYears() exposes internal data")
	}
	if _, ok := c.Year(2030); ok {
		t.Fatal("Year(2030) found")
	}

	// Mutating the input after New does not change the calendar either.
	in := BuiltinYears()[1]
	c2, err := New(in)
	if err != nil {
		t.Fatal(err)
	}
	in.Holidays[0].Name = "changed"
	if y, _ := c2.Year(2026); y.Holidays[0].Name != "元旦" {
		t.Fatal("New keeps the caller's slices")
	}
}

func TestConcurrentUse(t *testing.T) {
	c := Builtin()
	fix := loadFixture(t)
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				d := Date{2026, time.January, 1}.AddDays(i)
				if _, err := c.Due(d, 20); err != nil {
					t.Error(err)
					return
				}
				if _, err := c.With(fix); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
}

func TestMissingNextYear(t *testing.T) {
	c := Builtin()
	cases := []struct {
		today string
		want  bool
	}{
		{"2026-10-31", false},
		{"2026-11-01", true}, // 2027 unknown and notices are due
		{"2026-12-31", true},
		{"2025-11-01", false}, // 2026 known
		{"2025-06-01", false},
		{"2024-06-01", true}, // today's own year is unknown
		{"2027-03-01", true},
	}
	for _, tc := range cases {
		if got := c.MissingNextYear(mustDate(t, tc.today)); got != tc.want {
			t.Errorf("MissingNextYear(%s) = %v, want %v", tc.today, got, tc.want)
		}
	}
	c2, err := c.With(loadFixture(t))
	if err != nil {
		t.Fatal(err)
	}
	if c2.MissingNextYear(mustDate(t, "2026-11-01")) {
		t.Error("MissingNextYear(2026-11-01) with 2027 added = true")
	}
}
