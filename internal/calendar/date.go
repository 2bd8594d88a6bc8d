package calendar

import (
	"fmt"
	"time"
)

// Date is a civil date (no time zone). Statutory periods are counted in
// whole days, so working with instants would invite off-by-one errors at
// midnight; instants are converted to dates once, in Asia/Shanghai (DateOf).
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// cumDays[m] is the number of days before month m+1 in a common year.
var cumDays = [13]int{0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365}

func isLeap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

func daysInYear(y int) int {
	if isLeap(y) {
		return 366
	}
	return 365
}

func daysInMonth(y int, m time.Month) int {
	if m == time.February && isLeap(y) {
		return 29
	}
	return cumDays[m] - cumDays[m-1]
}

// ParseDate parses a date in the strict form YYYY-MM-DD: exactly four, two
// and two digits, and a day that exists (2026-02-30 is rejected). Strictness
// matters because these dates come from official notices typed by hand.
func ParseDate(s string) (Date, error) {
	bad := func(why string) (Date, error) {
		return Date{}, fmt.Errorf("calendar: invalid date %q: %s", s, why)
	}
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return bad("want YYYY-MM-DD")
	}
	num := func(p string) (int, bool) {
		n := 0
		for i := 0; i < len(p); i++ {
			c := p[i]
			if c < '0' || c > '9' {
				return 0, false
			}
			n = n*10 + int(c-'0')
		}
		return n, true
	}
	y, ok1 := num(s[0:4])
	m, ok2 := num(s[5:7])
	d, ok3 := num(s[8:10])
	if !ok1 || !ok2 || !ok3 {
		return bad("want YYYY-MM-DD")
	}
	if y < 1 {
		return bad("year out of range")
	}
	if m < 1 || m > 12 {
		return bad("month out of range")
	}
	if d < 1 || d > daysInMonth(y, time.Month(m)) {
		return bad("day does not exist in that month")
	}
	return Date{y, time.Month(m), d}, nil
}

// DateOf returns the date of t in Asia/Shanghai, which is the day on which
// something sent at instant t counts as received.
func DateOf(t time.Time) Date {
	y, m, d := t.In(Shanghai).Date()
	return Date{y, m, d}
}

// IsValid reports whether d names a day that exists (years 1 to 9999).
func (d Date) IsValid() bool {
	return d.Year >= 1 && d.Year <= 9999 && d.Month >= 1 && d.Month <= 12 &&
		d.Day >= 1 && d.Day <= daysInMonth(d.Year, d.Month)
}

// String returns d as YYYY-MM-DD.
func (d Date) String() string {
	var b [10]byte
	return string(d.appendTo(b[:0]))
}

func (d Date) appendTo(b []byte) []byte {
	b = append4(b, d.Year)
	b = append(b, '-')
	b = append2(b, int(d.Month))
	b = append(b, '-')
	return append2(b, d.Day)
}

func append4(b []byte, n int) []byte {
	if n < 0 || n > 9999 {
		return fmt.Appendf(b, "%04d", n)
	}
	return append(b, byte('0'+n/1000), byte('0'+n/100%10), byte('0'+n/10%10), byte('0'+n%10))
}

func append2(b []byte, n int) []byte {
	if n < 0 || n > 99 {
		return fmt.Appendf(b, "%02d", n)
	}
	return append(b, byte('0'+n/10), byte('0'+n%10))
}

// AddDays returns the date n days after d (before, if n is negative).
func (d Date) AddDays(n int) Date {
	y, m, dd := time.Date(d.Year, d.Month, d.Day+n, 12, 0, 0, 0, time.UTC).Date()
	return Date{y, m, dd}
}

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday {
	return time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC).Weekday()
}

// Compare returns -1, 0 or +1 as d is before, equal to or after o.
func (d Date) Compare(o Date) int {
	switch {
	case d.Year != o.Year:
		return cmpInt(d.Year, o.Year)
	case d.Month != o.Month:
		return cmpInt(int(d.Month), int(o.Month))
	default:
		return cmpInt(d.Day, o.Day)
	}
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Before reports whether d is before o.
func (d Date) Before(o Date) bool { return d.Compare(o) < 0 }

// After reports whether d is after o.
func (d Date) After(o Date) bool { return d.Compare(o) > 0 }

// EndOfDay returns the last nanosecond of d in Asia/Shanghai
// (23:59:59.999999999), the instant a "within N working days" period ends.
func (d Date) EndOfDay() time.Time {
	return time.Date(d.Year, d.Month, d.Day, 23, 59, 59, 999999999, Shanghai)
}

// yearDay returns the 0-based day of the year of a valid d.
func (d Date) yearDay() int {
	n := cumDays[d.Month-1] + d.Day - 1
	if d.Month > time.February && isLeap(d.Year) {
		n++
	}
	return n
}

// fromYearDay is the inverse of yearDay.
func fromYearDay(year, yd int) Date {
	leap := 0
	if isLeap(year) {
		leap = 1
	}
	m := 1
	for m < 12 {
		end := cumDays[m]
		if m >= 2 {
			end += leap
		}
		if yd < end {
			break
		}
		m++
	}
	start := cumDays[m-1]
	if m > 2 {
		start += leap
	}
	return Date{year, time.Month(m), yd - start + 1}
}

// MarshalText encodes d as YYYY-MM-DD. An invalid date is an error rather
// than text that ParseDate would refuse to read back.
func (d Date) MarshalText() ([]byte, error) {
	if !d.IsValid() {
		return nil, fmt.Errorf("calendar: cannot encode invalid date %s", d)
	}
	return d.appendTo(make([]byte, 0, 10)), nil
}

// UnmarshalText decodes a strict YYYY-MM-DD date (see ParseDate).
func (d *Date) UnmarshalText(b []byte) error {
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}
