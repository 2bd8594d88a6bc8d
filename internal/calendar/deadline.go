package calendar

import (
	"strconv"
	"time"
)

// Deadline is the result of counting a statutory period from an instant.
type Deadline struct {
	Receipt Date      `json:"receipt"` // receipt day, in Asia/Shanghai
	Days    int       `json:"days"`    // the period, in working days
	Due     Date      `json:"due"`     // the last working day of the period
	At      time.Time `json:"at"`      // end of Due in Asia/Shanghai: act no later than this
	// Rule states the count in the words of the regulation, so a reviewer
	// can see why the date is what it is.
	Rule string `json:"rule"`
}

func daysError(n int) error {
	return &FieldError{Field: "days", Message: "must be at least 1, got " + strconv.Itoa(n)}
}

// Due returns the nth working day after receipt: the last day of a period of
// "n working days from receipt" (自收到之日起n个工作日内), in which the day of
// receipt itself is not counted, whatever kind of day it is. n must be at
// least 1. Counting into a year the calendar does not know returns an
// *UnknownYearError for that year; so does a receipt in an unknown year.
func (c *Calendar) Due(receipt Date, n int) (Date, error) {
	if n < 1 {
		return Date{}, daysError(n)
	}
	yd, i, err := c.resolve("receipt", receipt)
	if err != nil {
		return Date{}, err
	}
	// Working days are already counted up to and including receipt; we
	// want the day on which the running count reaches base+n.
	base := int(yd.cum[i+1])
	for {
		if rest := yd.total - base; n > rest {
			// The period runs past 31 December: skip the whole remainder.
			n -= rest
			next := yd.year + 1
			if yd = c.lookup(next); yd == nil {
				return Date{}, &UnknownYearError{Year: next}
			}
			base = 0
			continue
		}
		// Binary search for the first day j with cum[j+1] >= base+n. That
		// day is a working day, since the count rises on it. This keeps Due
		// constant-time in n.
		target := uint16(base + n)
		lo, hi := 0, yd.days-1
		for lo < hi {
			mid := int(uint(lo+hi) >> 1)
			if yd.cum[mid+1] >= target {
				hi = mid
			} else {
				lo = mid + 1
			}
		}
		return fromYearDay(yd.year, lo), nil
	}
}

// DueAt counts n working days from an instant of receipt. The receipt day is
// the date of receipt in Asia/Shanghai, whatever zone the instant carries;
// the deadline is the end of the due day in Asia/Shanghai.
func (c *Calendar) DueAt(receipt time.Time, n int) (Deadline, error) {
	return c.DeadlineFrom(DateOf(receipt), n)
}

// DeadlineFrom is DueAt for a receipt day already known as a date.
func (c *Calendar) DeadlineFrom(r Date, n int) (Deadline, error) {
	due, err := c.Due(r, n)
	if err != nil {
		return Deadline{}, err
	}
	return Deadline{Receipt: r, Days: n, Due: due, At: due.EndOfDay(), Rule: ruleText(r, n, due)}, nil
}

// ruleText renders e.g. "2026-09-28收到；自收到之日起10个工作日内（收到当日不计），
// 截止2026-10-16 24:00（北京时间）". "24:00" is how Chinese documents write the
// end of a day; At holds the exact instant.
func ruleText(r Date, n int, due Date) string {
	b := make([]byte, 0, 160)
	b = r.appendTo(b)
	b = append(b, "收到；自收到之日起"...)
	b = strconv.AppendInt(b, int64(n), 10)
	b = append(b, "个工作日内（收到当日不计），截止"...)
	b = due.appendTo(b)
	b = append(b, " 24:00（北京时间）"...)
	return string(b)
}

// WorkingDaysBetween counts the working days in (from, to]: from itself is
// not counted, to is. It is 0 when to is not after from, which suits overdue
// reports (WorkingDaysBetween(due, today) is the number of working days
// overdue). Every year from the day after from to to must be known.
func (c *Calendar) WorkingDaysBetween(from, to Date) (int, error) {
	if !from.IsValid() {
		return 0, &FieldError{Field: "from", Message: from.String() + " is not a valid date"}
	}
	if !to.IsValid() {
		return 0, &FieldError{Field: "to", Message: to.String() + " is not a valid date"}
	}
	if !from.Before(to) {
		return 0, nil
	}
	start := from.AddDays(1)
	total := 0
	for y := start.Year; y <= to.Year; y++ {
		yd := c.lookup(y)
		if yd == nil {
			return 0, &UnknownYearError{Year: y}
		}
		lo, hi := 0, yd.days
		if y == start.Year {
			lo = start.yearDay()
		}
		if y == to.Year {
			hi = to.yearDay() + 1
		}
		total += int(yd.cum[hi]) - int(yd.cum[lo])
	}
	return total, nil
}
