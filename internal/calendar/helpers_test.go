package calendar

import (
	"errors"
	"testing"
)

func mustDate(t testing.TB, s string) Date {
	t.Helper()
	d, err := ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// wantUnknownYear fails unless err is an *UnknownYearError for year.
func wantUnknownYear(t *testing.T, err error, year int) {
	t.Helper()
	var u *UnknownYearError
	if !errors.As(err, &u) {
		t.Fatalf("got error %v, want *UnknownYearError for %d", err, year)
	}
	if u.Year != year {
		t.Fatalf("UnknownYearError.Year = %d, want %d", u.Year, year)
	}
	if !errors.Is(err, ErrUnknownYear) {
		t.Fatalf("errors.Is(%v, ErrUnknownYear) = false", err)
	}
}

// wantFieldError fails unless err is a *FieldError for field.
func wantFieldError(t *testing.T, err error, field string) {
	t.Helper()
	var fe *FieldError
	if !errors.As(err, &fe) {
		t.Fatalf("got error %v (%T), want *FieldError for %q", err, err, field)
	}
	if fe.Field != field {
		t.Fatalf("FieldError.Field = %q (%v), want %q", fe.Field, fe, field)
	}
	if fe.Message == "" {
		t.Fatalf("FieldError for %q has an empty message", field)
	}
}
