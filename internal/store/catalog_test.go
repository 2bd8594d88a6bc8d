package store_test

import (
	"slices"
	"strings"
	"testing"
)

// The catalog migration is one schema in two dialects like the platform's,
// except that SQLite adds its full-text indexes (catalog_search, catalog_bigrams).
func TestCatalogMigrationsMatch(t *testing.T) {
	pg, pgOther := schema(t, "migrations/postgres/00002_catalog.sql")
	lite, liteOther := schema(t, "migrations/sqlite/00002_catalog.sql")
	for _, name := range []string{"catalog_entries", "catalog_versions", "catalog_items", "catalog_obligations", "catalog_source_designations"} {
		if _, ok := pg[name]; !ok {
			t.Errorf("postgres catalog schema lacks %s", name)
		}
	}
	for table, cols := range pg {
		want := make([]string, len(cols))
		for i, c := range cols {
			want[i] = strings.ReplaceAll(c, "timestamptz", "timestamp")
		}
		if !slices.Equal(want, lite[table]) {
			t.Errorf("table %s differs:\npostgres %q\nsqlite   %q", table, want, lite[table])
		}
	}
	var extra []string
	for _, s := range liteOther {
		if !slices.Contains(pgOther, s) {
			extra = append(extra, s)
		}
	}
	fts := []string{"CREATE VIRTUAL TABLE catalog_search USING fts5(", "CREATE VIRTUAL TABLE catalog_bigrams USING fts5("}
	if len(extra) != len(fts) || !strings.HasPrefix(extra[0], fts[0]) || !strings.HasPrefix(extra[1], fts[1]) {
		t.Errorf("SQLite may differ only by the catalog_search and catalog_bigrams indexes; extra statements: %q", extra)
	}
	if len(liteOther) != len(pgOther)+len(fts) {
		t.Errorf("postgres statements missing from sqlite: %d vs %d", len(pgOther), len(liteOther))
	}
	// The contract the applications read with plain SQL.
	for table, cols := range map[string][]string{
		"catalog_entries":  {"id text primary key", "provider_id text not null references departments (id)", "division_code text not null", "published_version integer"},
		"catalog_versions": {"entry_id text not null references catalog_entries (id)", "number integer not null", "name text not null", "sharing_attribute text not null", "delivery_methods text not null"},
		"catalog_items":    {"entry_id text not null", "version_number integer not null", "name text not null"},
	} {
		for _, c := range cols {
			if !slices.Contains(pg[table], c) {
				t.Errorf("%s lacks the column %q others rely on", table, c)
			}
		}
	}
}
