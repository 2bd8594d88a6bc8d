package store_test

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/app"
	"github.com/govshare/govshare/internal/auth"
	"github.com/govshare/govshare/internal/demo"
	"github.com/govshare/govshare/internal/grant"
	"github.com/govshare/govshare/internal/store"
	"github.com/govshare/govshare/internal/storetest"
)

// backfill is the UPDATE of migration 00022 for the store's engine.
func backfill(t *testing.T, s *store.Store) string {
	t.Helper()
	b, err := os.ReadFile("migrations/" + string(s.Engine()) + "/00022_grant_ends_at.sql")
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	i := strings.Index(text, "UPDATE grants SET ends_at")
	j := strings.Index(text[i:], ";\n")
	if i < 0 || j < 0 {
		t.Fatal("00022 has no backfill")
	}
	return text[i : i+j]
}

// TestGrantEndsAt: the store keeps ends_at as grant.EndsAt says, on every
// write, and migration 00022 backfills it the same way from the body —
// including a terminated grant stored before ended_at was recorded, whose
// termination only the history holds.
func TestGrantEndsAt(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		if _, err := demo.Load(ctx, app.New(s, demo.ReferenceClock, auth.DefaultPolicy)); err != nil {
			t.Fatal(err)
		}
		var gs []grant.Grant
		if err := s.Read(ctx, func(tx *store.Tx) (err error) {
			gs, err = tx.ListGrants(ctx, grant.Filter{Scope: access.Scope{All: true}, Limit: 500})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		check := func(when string, want map[string]time.Time) {
			t.Helper()
			err := s.Read(ctx, func(tx *store.Tx) error {
				for id, w := range want {
					got, err := tx.GrantEndsAtForTest(ctx, id)
					if err != nil {
						return err
					}
					if !got.Truncate(time.Microsecond).Equal(w.Truncate(time.Microsecond)) {
						t.Errorf("%s: grant %s ends_at %v, want %v", when, id, got, w)
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		want := map[string]time.Time{}
		var legacy *grant.Grant
		states := map[grant.State]bool{}
		for i, g := range gs {
			want[g.ID] = g.EndsAt()
			states[g.State] = true
			if g.State == grant.Terminated && g.EndedAt != nil && legacy == nil {
				legacy = &gs[i]
			}
		}
		if legacy == nil || !states[grant.Disposed] || !states[grant.Active] {
			t.Fatalf("the demo lacks a terminated, disposed or active grant: %v", states)
		}
		check("as written", want)

		// As an older platform left them: no ends_at worth reading, and a
		// terminated grant without ended_at.
		old := *legacy
		old.EndedAt = nil
		body, err := json.Marshal(old)
		if err != nil {
			t.Fatal(err)
		}
		if want[old.ID] != old.EndsAt() || old.EndsAt().Equal(old.ExpiresAt) {
			t.Fatalf("a terminated grant without ended_at ends at %v, not at its termination %v", old.EndsAt(), want[old.ID])
		}
		fill := backfill(t, s) // outside the write: no t.Fatal in its callback
		err = s.Write(ctx, func(tx *store.Tx) error {
			if err := tx.ExecForTest(ctx, "UPDATE grants SET body = $1 WHERE id = $2", string(body), old.ID); err != nil {
				return err
			}
			if err := tx.ExecForTest(ctx, "UPDATE grants SET ends_at = $1", time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)); err != nil {
				return err
			}
			return tx.ExecForTest(ctx, fill)
		})
		if err != nil {
			t.Fatal(err)
		}
		check("backfilled", want)
	})
}
