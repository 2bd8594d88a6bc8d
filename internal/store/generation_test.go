package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/govshare/govshare/internal/app"
	"github.com/govshare/govshare/internal/auth"
	"github.com/govshare/govshare/internal/demo"
	"github.com/govshare/govshare/internal/gateway"
	"github.com/govshare/govshare/internal/grant"
	"github.com/govshare/govshare/internal/store"
	"github.com/govshare/govshare/internal/storetest"
)

// TestGeneration: a committed write of cached configuration (a grant) moves
// the generation before Write returns; a read, a write of nothing cached (a
// nonce) and a rolled-back write of configuration do not.
func TestGeneration(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		p, err := demo.Load(ctx, app.New(s, demo.ReferenceClock, auth.DefaultPolicy))
		if err != nil {
			t.Fatal(err)
		}
		var g *grant.Grant
		if err := s.Read(ctx, func(tx *store.Tx) (err error) { g, err = tx.GrantOf(ctx, p.Applications["approved"]); return err }); err != nil || g == nil {
			t.Fatalf("grant: %v", err)
		}
		gen := s.Generation()
		same := func(what string) {
			t.Helper()
			if got := s.Generation(); got != gen {
				t.Fatalf("%s moved the generation %d to %d", what, gen, got)
			}
		}
		if err := s.Read(ctx, func(tx *store.Tx) error { _, err := tx.Grant(ctx, g.ID); return err }); err != nil {
			t.Fatal(err)
		}
		same("a read")
		now := demo.ReferenceTime
		if err := s.Write(ctx, func(tx *store.Tx) error {
			_, err := tx.UseNonce(ctx, "gsk_x", "nonce-of-the-test-1", now, now.Add(gateway.Window))
			return err
		}); err != nil {
			t.Fatal(err)
		}
		same("a nonce")
		boom := errors.New("boom")
		if err := s.Write(ctx, func(tx *store.Tx) error {
			g2 := *g
			g2.Version++
			if err := tx.UpdateGrant(ctx, g2); err != nil {
				return err
			}
			return boom
		}); !errors.Is(err, boom) {
			t.Fatal(err)
		}
		same("a rolled-back grant update")
		if err := s.Write(ctx, func(tx *store.Tx) error {
			g2 := *g
			g2.Version++
			return tx.UpdateGrant(ctx, g2)
		}); err != nil {
			t.Fatal(err)
		}
		if s.Generation() <= gen {
			t.Fatalf("a committed grant update left the generation at %d", s.Generation())
		}
	})
}
