package calendar

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
)

// Year is one year's official holiday notice. It is also the JSON format of
// the embedded data and of `govshare calendar import` (see FORMAT.md), so
// that a later year is added by typing in its notice, not by changing code.
type Year struct {
	Year      int    `json:"year"`
	Notice    string `json:"notice"`
	Published *Date  `json:"published,omitempty"`
	// WorkingDays is the total the notice implies; when non-zero it must
	// equal the computed count, which catches a mistyped date.
	WorkingDays int         `json:"working_days,omitempty"`
	Holidays    []Holiday   `json:"holidays"`
	MakeUpDays  []MakeUpDay `json:"make_up_working_days"`
}

// Holiday is a run of consecutive days off, From and To inclusive.
type Holiday struct {
	Name string `json:"name"`
	From Date   `json:"from"`
	To   Date   `json:"to"`
}

// MakeUpDay is a Saturday or Sunday declared a working day (调休). Name is
// the holiday it makes up for.
type MakeUpDay struct {
	Name string `json:"name"`
	Date Date   `json:"date"`
}

// ParseYear decodes a notice file strictly and validates it. Unknown fields
// and trailing data are rejected because they usually mean a misspelt key or
// two files pasted together, and silently ignoring either would change
// deadlines.
func ParseYear(data []byte) (Year, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var y Year
	if err := dec.Decode(&y); err != nil {
		return Year{}, fmt.Errorf("calendar: decoding notice: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return Year{}, errors.New("calendar: decoding notice: unexpected data after the JSON object")
	}
	if err := y.Validate(); err != nil {
		return Year{}, err
	}
	if y.MakeUpDays == nil {
		// A year may have no make-up days; it is still written as a list.
		y.MakeUpDays = []MakeUpDay{}
	}
	return y, nil
}

// clone returns a deep copy, so that a Calendar cannot be changed through
// slices its caller still holds.
func (y Year) clone() Year {
	if y.Published != nil {
		p := *y.Published
		y.Published = &p
	}
	y.Holidays = slices.Clone(y.Holidays)
	y.MakeUpDays = slices.Clone(y.MakeUpDays)
	return y
}
