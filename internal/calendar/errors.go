package calendar

import (
	"errors"
	"strconv"
)

// FieldError reports an invalid value, naming it by its JSON path (for
// example "holidays[2].to") so that whoever typed the notice can find it.
type FieldError struct {
	Field   string
	Message string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Message }

// ErrUnknownYear matches any *UnknownYearError with errors.Is, for callers
// that do not need the year.
var ErrUnknownYear = errors.New("calendar: year is not in the calendar")

// UnknownYearError is returned whenever an answer depends on a year whose
// official notice has not been loaded. Use errors.As to get the year.
type UnknownYearError struct {
	Year int
}

func (e *UnknownYearError) Error() string {
	y := strconv.Itoa(e.Year)
	return "calendar: year " + y + " is not in the calendar; import the official notice for " + y
}

// Is makes errors.Is(err, ErrUnknownYear) true.
func (e *UnknownYearError) Is(target error) bool { return target == ErrUnknownYear }
