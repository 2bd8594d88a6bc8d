package application

import (
	"time"

	"github.com/govshare/govshare/internal/calendar"
)

// Duration is how long one step of the workflow took (Art. 23 asks for
// shorter review and delivery times, so each step is measured).
type Duration struct {
	Step        string    `json:"step"` // e.g. "drafted→sent"
	From        time.Time `json:"from"`
	To          time.Time `json:"to"`
	WorkingDays int       `json:"working_days"` // working days in (from day, to day]
	Hours       float64   `json:"hours"`
}

// Durations measures the steps the application has gone through so far, in
// working days on cal and in hours. A step whose days the calendar cannot
// count (an unknown year) is given in hours only.
func Durations(a *Application, cal *calendar.Calendar) []Duration {
	out := []Duration{}
	add := func(step string, from time.Time, to *time.Time) {
		if to == nil {
			return
		}
		d := Duration{Step: step, From: from, To: *to, Hours: to.Sub(from).Hours()}
		if cal != nil {
			d.WorkingDays, _ = cal.WorkingDaysBetween(calendar.DateOf(from), calendar.DateOf(*to))
		}
		out = append(out, d)
	}
	add("drafted→sent", a.CreatedAt, a.SentAt)
	if a.SentAt == nil {
		return out
	}
	if s := a.Supplement; s != nil {
		add("sent→supplement_requested", *a.SentAt, &s.At)
		add("supplement_requested→resubmitted", s.At, s.AnsweredAt)
	}
	if x := a.Extension; x != nil {
		add("extension_requested→decided", x.RequestedAt, x.DecidedAt)
	}
	if a.Reply != nil {
		at := a.Reply.At
		if a.Supplement != nil && a.Supplement.AnsweredAt != nil {
			add("resubmitted→replied", *a.Supplement.AnsweredAt, &at)
		}
		add("sent→replied", *a.SentAt, &at)
	}
	return out
}
