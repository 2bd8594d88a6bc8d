package calendar

import (
	"strings"
	"testing"
	"time"
)

func TestDueAtUsesShanghaiDate(t *testing.T) {
	c := Builtin()
	// 23:30 Beijing time on Monday 5 January is still the 5th.
	a, err := c.DueAt(time.Date(2026, 1, 5, 23, 30, 0, 0, time.FixedZone("", 8*3600)), 1)
	if err != nil {
		t.Fatal(err)
	}
	// 16:30 UTC on the 5th is 00:30 on Tuesday the 6th in Beijing.
	b, err := c.DueAt(time.Date(2026, 1, 5, 16, 30, 0, 0, time.UTC), 1)
	if err != nil {
		t.Fatal(err)
	}
	if a.Receipt.String() != "2026-01-05" || b.Receipt.String() != "2026-01-06" {
		t.Fatalf("receipt days %s and %s, want 2026-01-05 and 2026-01-06", a.Receipt, b.Receipt)
	}
	if a.Due.String() != "2026-01-06" || b.Due.String() != "2026-01-07" {
		t.Fatalf("due days %s and %s, want 2026-01-06 and 2026-01-07", a.Due, b.Due)
	}
	wantAt := time.Date(2026, 1, 6, 23, 59, 59, 999999999, time.FixedZone("", 8*3600))
	if !a.At.Equal(wantAt) {
		t.Fatalf("At = %v, want %v", a.At, wantAt)
	}
	if a.At.Location() != Shanghai {
		t.Fatalf("At is in %v, want Asia/Shanghai", a.At.Location())
	}
	if !a.At.Add(time.Nanosecond).Equal(time.Date(2026, 1, 6, 16, 0, 0, 0, time.UTC)) {
		t.Fatalf("At + 1ns = %v, want midnight Beijing time", a.At.Add(time.Nanosecond).UTC())
	}
	if a.Days != 1 {
		t.Fatalf("Days = %d", a.Days)
	}
}

func TestDueAtRule(t *testing.T) {
	c := Builtin()
	d, err := c.DueAt(time.Date(2026, 9, 28, 10, 0, 0, 0, Shanghai), 10)
	if err != nil {
		t.Fatal(err)
	}
	want := "2026-09-28收到；自收到之日起10个工作日内（收到当日不计），截止2026-10-16 24:00（北京时间）"
	if d.Rule != want {
		t.Fatalf("Rule = %q, want %q", d.Rule, want)
	}
	if !strings.Contains(d.Rule, d.Due.String()) {
		t.Fatal("Rule does not name the due date")
	}
}

func TestDueAtUnknownYear(t *testing.T) {
	c := Builtin()
	// 2024-12-31 20:00 UTC is already 2025-01-01 in Beijing: known.
	if _, err := c.DueAt(time.Date(2024, 12, 31, 20, 0, 0, 0, time.UTC), 1); err != nil {
		t.Fatalf("DueAt at 2025-01-01 04:00 Beijing: %v", err)
	}
	// 2024-12-31 15:00 UTC is 23:00 in Beijing: unknown 2024.
	_, err := c.DueAt(time.Date(2024, 12, 31, 15, 0, 0, 0, time.UTC), 1)
	wantUnknownYear(t, err, 2024)
	_, err = c.DueAt(time.Date(2026, 12, 28, 9, 0, 0, 0, Shanghai), 10)
	wantUnknownYear(t, err, 2027)
}

func TestWorkingDaysBetween(t *testing.T) {
	c := Builtin()
	cases := []struct {
		from, to string
		want     int
	}{
		{"2025-09-30", "2025-10-09", 1},
		{"2025-09-30", "2025-10-08", 0},
		{"2026-09-28", "2026-10-16", 10},
		{"2026-09-28", "2026-10-30", 20},
		{"2026-03-02", "2026-03-02", 0},
		{"2026-03-03", "2026-03-02", 0}, // to before from: not overdue
		{"2025-12-31", "2026-01-04", 1},
		{"2025-01-01", "2026-12-31", 248 + 248}, // 2025-01-01 is excluded, but it is a holiday anyway
	}
	for _, tc := range cases {
		got, err := c.WorkingDaysBetween(mustDate(t, tc.from), mustDate(t, tc.to))
		if err != nil || got != tc.want {
			t.Errorf("WorkingDaysBetween(%s, %s) = %d, %v; want %d", tc.from, tc.to, got, err, tc.want)
		}
	}
	_, err := c.WorkingDaysBetween(mustDate(t, "2026-12-01"), mustDate(t, "2027-01-05"))
	wantUnknownYear(t, err, 2027)
	_, err = c.WorkingDaysBetween(mustDate(t, "2024-12-01"), mustDate(t, "2025-01-05"))
	wantUnknownYear(t, err, 2024)
	_, err = c.WorkingDaysBetween(Date{2026, 2, 30}, mustDate(t, "2026-03-01"))
	wantFieldError(t, err, "from")
	_, err = c.WorkingDaysBetween(mustDate(t, "2026-03-01"), Date{})
	wantFieldError(t, err, "to")
}

// WorkingDaysBetween and Due must agree: n working days after receipt is
// exactly where the count over (receipt, due] reaches n.
func TestWorkingDaysBetweenInvertsDue(t *testing.T) {
	c := Builtin()
	for d := mustDate(t, "2025-01-01"); d.Year <= 2026; d = d.AddDays(1) {
		for _, n := range []int{1, 7, 30} {
			due, err := c.Due(d, n)
			if err != nil {
				continue // runs into 2027
			}
			if got, err := c.WorkingDaysBetween(d, due); err != nil || got != n {
				t.Fatalf("WorkingDaysBetween(%s, Due=%s) = %d, %v; want %d", d, due, got, err, n)
			}
			if got, _ := c.WorkingDaysBetween(d, due.AddDays(-1)); got != n-1 {
				t.Fatalf("WorkingDaysBetween(%s, %s) = %d; want %d", d, due.AddDays(-1), got, n-1)
			}
		}
	}
}
