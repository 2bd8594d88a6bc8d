package calendar

import (
	"fmt"
	"time"
)

// DayKind says why a day is or is not a working day.
type DayKind string

const (
	KindWorkday       DayKind = "workday"         // Monday to Friday, no holiday
	KindWeekend       DayKind = "weekend"         // Saturday or Sunday, not a make-up day
	KindHoliday       DayKind = "holiday"         // inside a notice's holiday range
	KindMakeUpWorkday DayKind = "make_up_workday" // weekend day declared a working day
)

// Day is one date as the calendar sees it.
type Day struct {
	Date    Date    `json:"date"`
	Kind    DayKind `json:"kind"`
	Working bool    `json:"working"`
	Holiday string  `json:"holiday,omitempty"` // name of the holiday or make-up day, if any
}

// Calendar is the set of known years. It is immutable once built and safe
// for concurrent use; With returns a new one.
type Calendar struct {
	// years[i] is year first+i, nil when unknown. A slice indexed by offset
	// keeps the lookup on the deadline path to a subtraction and a bounds
	// check; there are at most maxYear-minYear+1 entries.
	first int
	years []*yearData
}

// kind codes stored per day; the order matches kinds below.
const (
	codeWorkday uint8 = iota
	codeWeekend
	codeHoliday
	codeMakeUp
)

var kinds = [...]DayKind{KindWorkday, KindWeekend, KindHoliday, KindMakeUpWorkday}

// yearData is a Year compiled for fast lookups, indexed by 0-based day of
// the year.
type yearData struct {
	src   Year
	year  int
	days  int         // 365 or 366
	total int         // working days in the year
	kind  [366]uint8  // code* constants
	name  [366]uint16 // 1 + index into names; 0 for none
	names []string    // holiday names, in notice order
	cum   [367]uint16 // cum[i] = working days among days 0..i-1
}

func (yd *yearData) working(i int) bool {
	k := yd.kind[i]
	return k == codeWorkday || k == codeMakeUp
}

// compileYear builds the lookup tables. y must have passed the structural
// checks of validate (dates valid and in the year).
func compileYear(y Year) *yearData {
	yd := &yearData{src: y, year: y.Year, days: daysInYear(y.Year)}
	nameIndex := func(n string) uint16 {
		for i, s := range yd.names {
			if s == n {
				return uint16(i + 1)
			}
		}
		yd.names = append(yd.names, n)
		return uint16(len(yd.names))
	}
	// 1 January's weekday, then step: cheaper than a time.Date per day.
	wd := Date{y.Year, time.January, 1}.Weekday()
	for i := 0; i < yd.days; i++ {
		if wd == time.Saturday || wd == time.Sunday {
			yd.kind[i] = codeWeekend
		}
		wd = (wd + 1) % 7
	}
	for _, h := range y.Holidays {
		n := nameIndex(h.Name)
		for i := h.From.yearDay(); i <= h.To.yearDay(); i++ {
			yd.kind[i], yd.name[i] = codeHoliday, n
		}
	}
	for _, m := range y.MakeUpDays {
		i := m.Date.yearDay()
		yd.kind[i], yd.name[i] = codeMakeUp, nameIndex(m.Name)
	}
	for i := 0; i < yd.days; i++ {
		yd.cum[i+1] = yd.cum[i]
		if yd.working(i) {
			yd.cum[i+1]++
		}
	}
	yd.total = int(yd.cum[yd.days])
	return yd
}

// New returns a calendar of the given years, each validated. Listing a year
// twice is an error because it is ambiguous which notice should win.
func New(years ...Year) (*Calendar, error) {
	c := &Calendar{}
	for i, y := range years {
		if c.Knows(y.Year) {
			return nil, fmt.Errorf("calendar: year %d is given twice", y.Year)
		}
		if err := y.Validate(); err != nil {
			return nil, fmt.Errorf("calendar: year %d (argument %d): %w", y.Year, i, err)
		}
		c = c.with(compileYear(y.clone()))
	}
	return c, nil
}

// With returns a new calendar with y added, replacing any notice for the
// same year (an adjusting notice supersedes the original). c is unchanged.
func (c *Calendar) With(y Year) (*Calendar, error) {
	if err := y.Validate(); err != nil {
		return nil, fmt.Errorf("calendar: year %d: %w", y.Year, err)
	}
	return c.with(compileYear(y.clone())), nil
}

func (c *Calendar) with(yd *yearData) *Calendar {
	first, last := yd.year, yd.year
	if len(c.years) > 0 {
		first = min(first, c.first)
		last = max(last, c.first+len(c.years)-1)
	}
	n := &Calendar{first: first, years: make([]*yearData, last-first+1)}
	for i, old := range c.years {
		n.years[c.first+i-first] = old // yearData is never modified, so sharing is safe
	}
	n.years[yd.year-first] = yd
	return n
}

func (c *Calendar) lookup(year int) *yearData {
	i := year - c.first
	if uint(i) >= uint(len(c.years)) {
		return nil
	}
	return c.years[i]
}

// Years returns the known years in increasing order.
func (c *Calendar) Years() []int {
	var out []int
	for _, yd := range c.years {
		if yd != nil {
			out = append(out, yd.year)
		}
	}
	return out
}

// Year returns a copy of the notice for year n.
func (c *Calendar) Year(n int) (Year, bool) {
	yd := c.lookup(n)
	if yd == nil {
		return Year{}, false
	}
	return yd.src.clone(), true
}

// Knows reports whether the notice for year is loaded.
func (c *Calendar) Knows(year int) bool { return c.lookup(year) != nil }

// resolve finds the compiled year and day index of d.
func (c *Calendar) resolve(field string, d Date) (*yearData, int, error) {
	if !d.IsValid() {
		return nil, 0, &FieldError{Field: field, Message: d.String() + " is not a valid date"}
	}
	yd := c.lookup(d.Year)
	if yd == nil {
		return nil, 0, &UnknownYearError{Year: d.Year}
	}
	return yd, d.yearDay(), nil
}

func (yd *yearData) day(i int) Day {
	k := yd.kind[i]
	d := Day{Date: fromYearDay(yd.year, i), Kind: kinds[k], Working: k == codeWorkday || k == codeMakeUp}
	if n := yd.name[i]; n > 0 {
		d.Holiday = yd.names[n-1]
	}
	return d
}

// Day describes date d.
func (c *Calendar) Day(d Date) (Day, error) {
	yd, i, err := c.resolve("date", d)
	if err != nil {
		return Day{}, err
	}
	return yd.day(i), nil
}

// IsWorkingDay reports whether d is a working day.
func (c *Calendar) IsWorkingDay(d Date) (bool, error) {
	yd, i, err := c.resolve("date", d)
	if err != nil {
		return false, err
	}
	return yd.working(i), nil
}

// MissingNextYear reports whether an administrator should be told, on date
// today, to import next year's notice. Notices come out in November, and a
// 30-working-day period starting mid-November already ends in January, so
// from 1 November a missing next year will soon make deadlines fail. It is
// also true when today's own year is unknown.
func (c *Calendar) MissingNextYear(today Date) bool {
	if !c.Knows(today.Year) {
		return true
	}
	return today.Month >= time.November && !c.Knows(today.Year+1)
}
