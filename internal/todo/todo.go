// Package todo is what waits for someone: drafts to finish, reviews, replies,
// supplements, extensions, deliveries due. Each domain lists its own items;
// the API merges them into one list per person, soonest deadline first.
package todo

import (
	"sort"

	"github.com/govshare/govshare/internal/calendar"
)

// Item is one thing waiting for the reader.
type Item struct {
	Kind       string `json:"kind"`        // e.g. "catalog.review", "application.reply"
	ObjectType string `json:"object_type"` // "catalog_entry", "application"
	ObjectID   string `json:"object_id"`
	Title      string `json:"title"` // what it is, in Chinese, e.g. the entry name
	// Due is the statutory deadline, if the step has one, with the rule that
	// set it and the working days left (negative when overdue).
	Due             *calendar.Date `json:"due,omitempty"`
	Rule            string         `json:"rule,omitempty"`
	WorkingDaysLeft *int           `json:"working_days_left,omitempty"`
	Overdue         bool           `json:"overdue"`
}

// Sort orders items: overdue first, then by due date, undated last.
func Sort(items []Item) {
	sort.SliceStable(items, func(i, j int) bool {
		a, b := items[i], items[j]
		if a.Overdue != b.Overdue {
			return a.Overdue
		}
		switch {
		case a.Due == nil:
			return false
		case b.Due == nil:
			return true
		}
		return a.Due.Before(*b.Due)
	})
}

// Left fills WorkingDaysLeft and Overdue for an item due on due, as of today:
// the working days after today up to and including the due date; an item is
// overdue once today is past its due date.
func Left(cal *calendar.Calendar, it *Item, due calendar.Date, rule string, today calendar.Date) {
	it.Due, it.Rule = &due, rule
	if today.After(due) {
		n, err := cal.WorkingDaysBetween(due, today)
		if err == nil {
			n = -n
			it.WorkingDaysLeft = &n
		}
		it.Overdue = true
		return
	}
	if n, err := cal.WorkingDaysBetween(today, due); err == nil {
		it.WorkingDaysLeft = &n
	}
}
