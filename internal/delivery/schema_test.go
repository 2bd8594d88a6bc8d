package delivery

import (
	"context"
	"testing"

	"github.com/govshare/govshare/internal/catalog"
)

// versionReads is a Tx that serves catalog versions and counts the reads;
// nothing else of Tx is used by schemaOf.
type versionReads struct {
	Tx
	items map[int][]catalog.Item // by version number
	reads int
}

func (v *versionReads) CatalogVersion(_ context.Context, _ string, n int) (*catalog.Version, error) {
	v.reads++
	return &catalog.Version{Number: n, Draft: catalog.Draft{Items: v.items[n]}}, nil
}

// The published version's schema is read once, and read again when the
// entry is published anew or changed in any way (its head's version moves).
func TestSchemaCache(t *testing.T) {
	ctx := context.Background()
	tx := &versionReads{items: map[int][]catalog.Item{
		1: {{Name: "编号", IsKey: true}, {Name: "名称"}},
		2: {{Name: "编号", IsKey: true}, {Name: "地址"}},
	}}
	s := NewService(nil, nil, nil)
	h := &catalog.Head{ID: "e1", PublishedVersion: 1, Version: 3}
	for range 3 {
		sch, err := s.schemaOf(ctx, tx, h)
		if err != nil || sch.EntryVersion != 1 {
			t.Fatalf("schema %+v, %v", sch, err)
		}
	}
	if tx.reads != 1 {
		t.Fatalf("%d reads of an unchanged published version, want 1", tx.reads)
	}
	h.PublishedVersion, h.Version = 2, 4
	sch, err := s.schemaOf(ctx, tx, h)
	if err != nil || sch.EntryVersion != 2 || sch.Items[1].Name != "地址" || tx.reads != 2 {
		t.Fatalf("after republication: schema %+v, %v, %d reads", sch, err, tx.reads)
	}
	h.Version = 5 // same published version, entry changed otherwise
	if _, err := s.schemaOf(ctx, tx, h); err != nil || tx.reads != 3 {
		t.Fatalf("after a change of the head: %v, %d reads, want 3", err, tx.reads)
	}
}
