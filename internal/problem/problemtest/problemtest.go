// Package problemtest holds the assertions on problems that the tests of
// every domain make: the stable code, and the field a refusal names.
package problemtest

import (
	"errors"
	"testing"

	"github.com/govshare/govshare/internal/problem"
)

// Want fails t unless err is a problem with code and, when field is given,
// naming that field. It returns the problem for further checks.
func Want(t testing.TB, err error, code string, field ...string) *problem.Error {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want code %q", code)
	}
	var p *problem.Error
	if !errors.As(err, &p) || p.Code != code {
		t.Fatalf("error %v (code %q), want code %q", err, problem.CodeOf(err), code)
	}
	if len(field) > 0 && p.Field != field[0] {
		t.Fatalf("%s: field %q, want %q", code, p.Field, field[0])
	}
	return p
}
