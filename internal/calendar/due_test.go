package calendar

import (
	"fmt"
	"testing"
)

// Each case was worked out by hand on a wall calendar from the notices.
var handCases = []struct {
	receipt string
	n       int
	want    string
	why     string
}{
	{"2025-09-30", 1, "2025-10-09", "Tue; 10-01..10-08 are off, 10-09 is a Thursday"},
	{"2025-09-30", 10, "2025-10-21", "10-09,10,11(Sat make-up),13,14,15,16,17,20,21"},
	{"2025-09-26", 1, "2025-09-28", "Fri; Sat 09-27 off, Sun 09-28 is a make-up working day"},
	{"2025-10-03", 1, "2025-10-09", "receipt on a holiday: counting starts at the next working day"},
	{"2025-10-10", 1, "2025-10-11", "Fri; Sat 10-11 is a make-up working day"},
	{"2025-01-24", 1, "2025-01-26", "Fri; Sun 01-26 is a make-up working day"},
	{"2025-01-27", 1, "2025-02-05", "Mon; Spring Festival 01-28..02-04"},
	{"2025-01-27", 10, "2025-02-17", "02-05,06,07,08(Sat make-up),10,11,12,13,14,17"},
	{"2025-02-07", 1, "2025-02-08", "Fri; Sat 02-08 is a make-up working day"},
	{"2025-04-03", 1, "2025-04-07", "Thu; Qingming 04-04..04-06"},
	{"2025-04-25", 1, "2025-04-27", "Fri; Sun 04-27 is a make-up working day"},
	{"2025-04-30", 1, "2025-05-06", "Wed; Labour Day 05-01..05-05"},
	{"2025-05-30", 1, "2025-06-03", "Fri; Dragon Boat 05-31..06-02"},
	{"2025-12-31", 1, "2026-01-04", "crosses into 2026: 01-01..01-03 off, Sun 01-04 make-up"},
	{"2026-01-01", 1, "2026-01-04", "receipt on New Year's Day"},
	{"2026-02-13", 1, "2026-02-14", "Fri; Sat 02-14 is a make-up working day"},
	{"2026-02-14", 1, "2026-02-24", "receipt on a make-up day is not counted; 02-15..02-23 off"},
	{"2026-02-13", 20, "2026-03-19", "02-14,24,25,26,27,28(Sat), then 14 weekdays in March"},
	{"2026-02-27", 1, "2026-02-28", "Fri; Sat 02-28 is a make-up working day"},
	{"2026-04-30", 20, "2026-06-01", "05-06,07,08,09(Sat),11..15,18..22,25..29,06-01"},
	{"2026-05-08", 1, "2026-05-09", "Fri; Sat 05-09 is a make-up working day"},
	{"2026-06-18", 1, "2026-06-22", "Thu; Dragon Boat 06-19..06-21"},
	{"2026-09-18", 1, "2026-09-20", "Fri; Sun 09-20 is a make-up working day (not a rest day)"},
	{"2026-09-24", 1, "2026-09-28", "Thu; Mid-Autumn 09-25..09-27"},
	{"2026-09-28", 10, "2026-10-16", "09-29,30,10-08,09,10(Sat),12,13,14,15,16"},
	{"2026-09-28", 20, "2026-10-30", "continuing: 10-19..23, 10-26..30"},
	{"2026-09-30", 10, "2026-10-20", "10-08,09,10(Sat),12..16,19,20"},
	{"2026-10-09", 1, "2026-10-10", "Fri; Sat 10-10 is a make-up working day (not a rest day)"},
	{"2026-12-17", 10, "2026-12-31", "the last day the 2026 calendar can answer for 10 WD"},
}

func TestDueHandChecked(t *testing.T) {
	c := Builtin()
	for _, tc := range handCases {
		got, err := c.Due(mustDate(t, tc.receipt), tc.n)
		if err != nil {
			t.Errorf("Due(%s, %d): %v", tc.receipt, tc.n, err)
			continue
		}
		if got.String() != tc.want {
			t.Errorf("Due(%s, %d) = %s, want %s (%s)", tc.receipt, tc.n, got, tc.want, tc.why)
		}
		// The hand cases also check the oracle, so a wrong reference
		// cannot silently bless a wrong implementation.
		if ref, _, ok := refDue(tc.receipt, tc.n); !ok || ref != tc.want {
			t.Errorf("reference Due(%s, %d) = %q, want %s", tc.receipt, tc.n, ref, tc.want)
		}
	}
}

// holidayWindows are the holidays of both notices, typed by hand; each is
// tested from a week before it starts to a week after it ends.
var holidayWindows = []struct{ name, from, to string }{
	{"2025 元旦", "2025-01-01", "2025-01-01"},
	{"2025 春节", "2025-01-28", "2025-02-04"},
	{"2025 清明节", "2025-04-04", "2025-04-06"},
	{"2025 劳动节", "2025-05-01", "2025-05-05"},
	{"2025 端午节", "2025-05-31", "2025-06-02"},
	{"2025 国庆节、中秋节", "2025-10-01", "2025-10-08"},
	{"2026 元旦", "2026-01-01", "2026-01-03"},
	{"2026 春节", "2026-02-15", "2026-02-23"},
	{"2026 清明节", "2026-04-04", "2026-04-06"},
	{"2026 劳动节", "2026-05-01", "2026-05-05"},
	{"2026 端午节", "2026-06-19", "2026-06-21"},
	{"2026 中秋节", "2026-09-25", "2026-09-27"},
	{"2026 国庆节", "2026-10-01", "2026-10-07"},
}

// checkAgainstReference compares Due with the oracle, including which
// unknown year is reported when the count leaves the calendar.
func checkAgainstReference(t *testing.T, c *Calendar, receipt string, n int) {
	t.Helper()
	want, wantYear, ok := refDue(receipt, n)
	got, err := c.Due(mustDate(t, receipt), n)
	if !ok {
		wantUnknownYear(t, err, wantYear)
		return
	}
	if err != nil {
		t.Fatalf("Due(%s, %d): %v, want %s", receipt, n, err, want)
	}
	if got.String() != want {
		t.Fatalf("Due(%s, %d) = %s, want %s", receipt, n, got, want)
	}
}

func TestDueAroundHolidays(t *testing.T) {
	c := Builtin()
	for _, h := range holidayWindows {
		t.Run(h.name, func(t *testing.T) {
			from, to := refParse(h.from).AddDate(0, 0, -7), refParse(h.to).AddDate(0, 0, 7)
			for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
				for _, n := range []int{1, 10, 20} {
					checkAgainstReference(t, c, d.Format("2006-01-02"), n)
				}
			}
		})
	}
}

func TestDueEveryReceiptDay(t *testing.T) {
	c := Builtin()
	ns := []int{1, 2, 3, 5, 7, 10, 15, 20, 30, 60, 100, 247, 248, 249, 300, 495, 496, 497}
	for d := refParse("2025-01-01"); d.Year() <= 2026; d = d.AddDate(0, 0, 1) {
		for _, n := range ns {
			checkAgainstReference(t, c, d.Format("2006-01-02"), n)
		}
	}
	for n := 1; n <= 30; n++ {
		for d := refParse("2025-01-01"); d.Year() <= 2026; d = d.AddDate(0, 0, 1) {
			checkAgainstReference(t, c, d.Format("2006-01-02"), n)
		}
	}
}

func TestDueUnknownYears(t *testing.T) {
	c := Builtin()
	cases := []struct {
		receipt string
		n       int
		year    int
	}{
		{"2024-12-31", 1, 2024}, // receipt year unknown, even though day 1 is in 2025
		{"2024-06-01", 10, 2024},
		{"2027-01-04", 1, 2027},
		{"2026-12-28", 10, 2027}, // 12-29,30,31 then 2027: never guess with weekends
		{"2026-12-18", 10, 2027},
		{"2026-12-31", 1, 2027},
		{"2025-01-01", 100000, 2027},
	}
	for _, tc := range cases {
		_, err := c.Due(mustDate(t, tc.receipt), tc.n)
		wantUnknownYear(t, err, tc.year)
	}
	_, err := c.Due(mustDate(t, "2026-12-28"), 10)
	if got, want := err.Error(), "calendar: year 2027 is not in the calendar; import the official notice for 2027"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}

	// A gap in the middle is as unknown as the edges.
	y25, _ := c.Year(2025)
	fix := loadFixture(t)
	gappy, err := New(y25, fix)
	if err != nil {
		t.Fatal(err)
	}
	_, err = gappy.Due(mustDate(t, "2025-12-30"), 5)
	wantUnknownYear(t, err, 2026)
}

func TestDueBadDays(t *testing.T) {
	c := Builtin()
	for _, n := range []int{0, -1, -30} {
		_, err := c.Due(mustDate(t, "2026-03-02"), n)
		wantFieldError(t, err, "days")
		_, err = c.DueAt(mustDate(t, "2026-03-02").EndOfDay(), n)
		wantFieldError(t, err, "days")
		_, err = c.Explain(mustDate(t, "2026-03-02"), n)
		wantFieldError(t, err, "days")
	}
	_, err := c.Due(Date{2026, 2, 30}, 1)
	wantFieldError(t, err, "receipt")
}

func TestDueIsMonotonic(t *testing.T) {
	// A later receipt never gives an earlier due date, and one more working
	// day always moves the due date to a later working day.
	c := Builtin()
	prev := Date{}
	for d := mustDate(t, "2025-01-01"); d.Year == 2025; d = d.AddDays(1) {
		due, err := c.Due(d, 10)
		if err != nil {
			t.Fatal(err)
		}
		if due.Before(prev) {
			t.Fatalf("Due(%s,10) = %s is before Due of the previous day %s", d, due, prev)
		}
		prev = due
		d1, _ := c.Due(d, 11)
		if !due.Before(d1) {
			t.Fatalf("Due(%s,11) = %s is not after Due(%s,10) = %s", d, d1, d, due)
		}
		if ok, _ := c.IsWorkingDay(due); !ok {
			t.Fatalf("Due(%s,10) = %s is not a working day", d, due)
		}
	}
}

func TestDueAllocationFree(t *testing.T) {
	c := Builtin()
	d := mustDate(t, "2026-09-28")
	allocs := testing.AllocsPerRun(1000, func() {
		if _, err := c.Due(d, 30); err != nil {
			panic(err)
		}
	})
	if allocs != 0 {
		t.Fatalf("Due allocates %v times per call, want 0", allocs)
	}
}

func ExampleCalendar_Due() {
	c := Builtin()
	receipt, _ := ParseDate("2025-09-30")
	due, _ := c.Due(receipt, 1)
	fmt.Println(due, due.Weekday())
	// Output: 2025-10-09 Thursday
}
