package store_test

import (
	"slices"
	"strings"
	"testing"
)

// The applications migration is one schema in two dialects, like 00001.
func TestApplicationMigrationsMatch(t *testing.T) {
	pg, pgOther := schema(t, "migrations/postgres/00003_application.sql")
	lite, liteOther := schema(t, "migrations/sqlite/00003_application.sql")
	cols, ok := pg["applications"]
	if !ok || len(cols) < 10 {
		t.Fatalf("postgres 00003 lacks the applications table: %v", pg)
	}
	want := make([]string, len(cols))
	for i, c := range cols {
		want[i] = strings.ReplaceAll(c, "timestamptz", "timestamp")
	}
	if !slices.Equal(want, lite["applications"]) || len(pg) != len(lite) {
		t.Errorf("applications differs:\npostgres %q\nsqlite   %q", want, lite["applications"])
	}
	if !slices.Equal(pgOther, liteOther) {
		t.Errorf("indexes differ:\npostgres %q\nsqlite   %q", pgOther, liteOther)
	}
}
