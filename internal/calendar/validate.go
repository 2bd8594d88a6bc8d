package calendar

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

const (
	minYear = 2000
	maxYear = 2100
	// maxHolidayDays guards against a typo such as 10-01 to 11-07: no
	// official break has ever been this long (Spring Festival is at most 9).
	maxHolidayDays = 15
)

// Validate checks that y is whole and consistent. Together with the weekday
// rule, the lists decide every day of the year, so a valid Year describes
// the whole year. The first problem found is returned as a *FieldError.
func (y Year) Validate() error {
	if err := y.validate(); err != nil {
		return err // keep nil untyped: a nil *FieldError is a non-nil error
	}
	return nil
}

func (y Year) validate() *FieldError {
	fail := func(field, format string, args ...any) *FieldError {
		return &FieldError{Field: field, Message: fmt.Sprintf(format, args...)}
	}
	if y.Year < minYear || y.Year > maxYear {
		return fail("year", "must be between %d and %d, got %d", minYear, maxYear, y.Year)
	}
	if strings.TrimSpace(y.Notice) == "" {
		return fail("notice", "must name the official notice")
	}
	if p := y.Published; p != nil {
		if !p.IsValid() {
			return fail("published", "is not a valid date")
		}
		if p.Year > y.Year {
			return fail("published", "%s is after the year the notice is for", p)
		}
	}
	inYear := func(d Date) bool { return d.Year == y.Year }

	if len(y.Holidays) == 0 {
		return fail("holidays", "must list at least one holiday")
	}
	for i, h := range y.Holidays {
		f := fmt.Sprintf("holidays[%d]", i)
		switch {
		case strings.TrimSpace(h.Name) == "":
			return fail(f+".name", "must not be empty")
		case !h.From.IsValid():
			return fail(f+".from", "is missing or not a valid date")
		case !h.To.IsValid():
			return fail(f+".to", "is missing or not a valid date")
		case !inYear(h.From):
			return fail(f+".from", "%s is not in %d", h.From, y.Year)
		case !inYear(h.To):
			return fail(f+".to", "%s is not in %d", h.To, y.Year)
		case h.To.Before(h.From):
			return fail(f+".to", "%s is before from %s", h.To, h.From)
		case h.To.yearDay()-h.From.yearDay()+1 > maxHolidayDays:
			return fail(f+".to", "the holiday %s to %s is longer than %d days; check for a typo", h.From, h.To, maxHolidayDays)
		}
	}
	// Sort indices by start so that any overlap shows up between neighbours.
	order := make([]int, len(y.Holidays))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return y.Holidays[a].From.Compare(y.Holidays[b].From) })
	for k := 1; k < len(order); k++ {
		if prev, cur := y.Holidays[order[k-1]], y.Holidays[order[k]]; !prev.To.Before(cur.From) {
			// Blame the one listed second: it is usually the one just typed.
			first, second := min(order[k-1], order[k]), max(order[k-1], order[k])
			o := y.Holidays[first]
			return fail(fmt.Sprintf("holidays[%d].from", second), "overlaps holidays[%d] (%s, %s to %s)",
				first, o.Name, o.From, o.To)
		}
	}

	seen := make(map[Date]int, len(y.MakeUpDays))
	for i, m := range y.MakeUpDays {
		f := fmt.Sprintf("make_up_working_days[%d]", i)
		if strings.TrimSpace(m.Name) == "" {
			return fail(f+".name", "must not be empty")
		}
		if !m.Date.IsValid() {
			return fail(f+".date", "is missing or not a valid date")
		}
		if !inYear(m.Date) {
			return fail(f+".date", "%s is not in %d", m.Date, y.Year)
		}
		if wd := m.Date.Weekday(); wd != time.Saturday && wd != time.Sunday {
			return fail(f+".date", "%s is a %s; a make-up working day is always a Saturday or Sunday", m.Date, wd)
		}
		for j, h := range y.Holidays {
			if !m.Date.Before(h.From) && !h.To.Before(m.Date) {
				return fail(f+".date", "%s is inside holidays[%d] (%s, %s to %s)", m.Date, j, h.Name, h.From, h.To)
			}
		}
		if j, dup := seen[m.Date]; dup {
			return fail(f+".date", "%s is already listed as make_up_working_days[%d]", m.Date, j)
		}
		seen[m.Date] = i
		if !slices.ContainsFunc(y.Holidays, func(h Holiday) bool { return h.Name == m.Name }) {
			return fail(f+".name", "%q is not the name of any holiday; a make-up day belongs to a holiday", m.Name)
		}
	}

	if y.WorkingDays < 0 {
		return fail("working_days", "must not be negative, got %d", y.WorkingDays)
	}
	if y.WorkingDays > 0 {
		if got := compileYear(y).total; got != y.WorkingDays {
			return fail("working_days", "the notice says %d but the holidays and make-up days give %d; check the dates", y.WorkingDays, got)
		}
	}
	return nil
}
