// Package calendar counts statutory periods in working days (工作日) on
// China's official national calendar, as the Regulation on Government Data
// Sharing requires.
//
// A day is a working day when it is Monday to Friday and not inside a public
// holiday announced by the State Council's yearly notice, or when the notice
// names it a make-up working day (调休, always a Saturday or Sunday). The
// notice is the only source of truth: a date in a year whose notice has not
// been loaded is an error (*UnknownYearError), never a weekday-only guess,
// because a guessed deadline is worse than no deadline.
//
// "Within N working days from receipt" (自收到…之日起N个工作日内) does not
// count the day of receipt; the deadline is the end of the Nth working day
// after it, in Asia/Shanghai (see Calendar.Due and Calendar.DueAt).
//
// The notices for 2025 and 2026 are embedded (Builtin). Later years are
// imported from files in the same JSON format; see FORMAT.md.
package calendar
