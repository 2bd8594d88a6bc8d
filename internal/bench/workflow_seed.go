package bench

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/govshare/govshare/internal/catalog"
	"github.com/govshare/govshare/internal/org"
	"github.com/govshare/govshare/internal/store"
)

// SeedEntry stores a published catalog entry of provider directly through
// the catalog's store methods, bypassing its review: for measurements and
// tests of the applications workflow that must not depend on the demo
// catalog. It returns the entry's ID.
func SeedEntry(ctx context.Context, s *store.Store, provider org.Department, name string, attr catalog.Attribute, items []string) (string, error) {
	id := uuid.Must(uuid.NewV7()).String()
	now := time.Now().UTC()
	err := s.Write(ctx, func(tx *store.Tx) error {
		seq, err := tx.NextCatalogSeq(ctx)
		if err != nil {
			return err
		}
		code := fmt.Sprintf("9/99/999/%d", seq)
		h := catalog.Head{ID: id, Seq: seq, ProviderID: provider.ID, DivisionCode: provider.DivisionCode, ResourceCode: code,
			State: catalog.Published, WorkingVersion: 1, PublishedVersion: 1, Version: 1, CreatedAt: now, UpdatedAt: now}
		if err := tx.InsertCatalogHead(ctx, h); err != nil {
			return err
		}
		v := catalog.Version{Number: 1, State: catalog.Published, PublishedAt: &now, CreatedAt: now, UpdatedAt: now, Grade: catalog.Grade("general"),
			Draft: catalog.Draft{Name: name, Abstract: name, ResourceCode: code, SharingAttribute: attr, UpdateFrequency: "daily",
				DeliveryMethods: []catalog.Method{catalog.ServiceInterface, catalog.Method("batch_exchange")}, OpenAttribute: "not_open",
				DataFormat: catalog.DataFormat{Type: "JSON"}, Secrecy: catalog.NotSecret}}
		for _, n := range items {
			v.Items = append(v.Items, catalog.Item{Name: n, DataType: "C", Length: 64, Description: n, Grade: catalog.Grade("general")})
		}
		return tx.PutCatalogVersion(ctx, id, v)
	})
	if err != nil {
		return "", fmt.Errorf("bench: seed entry %s: %w", name, err)
	}
	return id, nil
}
