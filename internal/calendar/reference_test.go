package calendar

import (
	"time"
)

// This file is an independent, deliberately naive model of the official
// calendar, used as the oracle for the fast implementation. It shares no
// code or data with the package: the dates are typed here from the text of
// the notices (not read from data/*.json), and counting steps through
// time.Time one day at a time.

// refHolidays lists every day off announced by the notices, one by one.
var refHolidays = map[string]bool{
	// 2025 (国办发明电〔2024〕12号)
	"2025-01-01": true,                                                             // 元旦
	"2025-01-28": true, "2025-01-29": true, "2025-01-30": true, "2025-01-31": true, // 春节
	"2025-02-01": true, "2025-02-02": true, "2025-02-03": true, "2025-02-04": true,
	"2025-04-04": true, "2025-04-05": true, "2025-04-06": true, // 清明节
	"2025-05-01": true, "2025-05-02": true, "2025-05-03": true, "2025-05-04": true, "2025-05-05": true, // 劳动节
	"2025-05-31": true, "2025-06-01": true, "2025-06-02": true, // 端午节
	"2025-10-01": true, "2025-10-02": true, "2025-10-03": true, "2025-10-04": true, // 国庆节、中秋节
	"2025-10-05": true, "2025-10-06": true, "2025-10-07": true, "2025-10-08": true,

	// 2026 (国务院办公厅关于2026年部分节假日安排的通知)
	"2026-01-01": true, "2026-01-02": true, "2026-01-03": true, // 元旦
	"2026-02-15": true, "2026-02-16": true, "2026-02-17": true, "2026-02-18": true, "2026-02-19": true, // 春节
	"2026-02-20": true, "2026-02-21": true, "2026-02-22": true, "2026-02-23": true,
	"2026-04-04": true, "2026-04-05": true, "2026-04-06": true, // 清明节
	"2026-05-01": true, "2026-05-02": true, "2026-05-03": true, "2026-05-04": true, "2026-05-05": true, // 劳动节
	"2026-06-19": true, "2026-06-20": true, "2026-06-21": true, // 端午节
	"2026-09-25": true, "2026-09-26": true, "2026-09-27": true, // 中秋节
	"2026-10-01": true, "2026-10-02": true, "2026-10-03": true, "2026-10-04": true, // 国庆节
	"2026-10-05": true, "2026-10-06": true, "2026-10-07": true,
}

// refMakeUp lists the weekend days the notices turn into working days.
var refMakeUp = map[string]bool{
	"2025-01-26": true, "2025-02-08": true, // 春节
	"2025-04-27": true,                     // 劳动节
	"2025-09-28": true, "2025-10-11": true, // 国庆节、中秋节
	"2026-01-04": true,                     // 元旦
	"2026-02-14": true, "2026-02-28": true, // 春节
	"2026-05-09": true,                     // 劳动节
	"2026-09-20": true, "2026-10-10": true, // 国庆节 (wrongly shown as rest days by some data sets)
}

var refYears = map[int]bool{2025: true, 2026: true}

func refParse(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

func refWorking(t time.Time) bool {
	s := t.Format("2006-01-02")
	if refMakeUp[s] {
		return true
	}
	if refHolidays[s] {
		return false
	}
	return t.Weekday() != time.Saturday && t.Weekday() != time.Sunday
}

// refDue returns the nth working day after receipt, or ok=false (with the
// offending year) if the count leaves 2025-2026.
func refDue(receipt string, n int) (due string, unknownYear int, ok bool) {
	t := refParse(receipt)
	if !refYears[t.Year()] {
		return "", t.Year(), false
	}
	count := 0
	for {
		t = t.AddDate(0, 0, 1)
		if !refYears[t.Year()] {
			return "", t.Year(), false
		}
		if refWorking(t) {
			count++
			if count == n {
				return t.Format("2006-01-02"), 0, true
			}
		}
	}
}
