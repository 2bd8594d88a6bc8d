package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/govshare/govshare/internal/ledger"
	"github.com/govshare/govshare/internal/store"
	"github.com/govshare/govshare/internal/storetest"
)

// Commands that commit together stay independent: a failing or panicking
// command is rolled back alone, the others are all durable, and event
// numbers stay gapless.
func TestConcurrentCommandsFailAlone(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		const n = 60
		var wg sync.WaitGroup
		errs := make([]error, n)
		panics := make([]any, n)
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer func() { panics[i] = recover() }()
				errs[i] = s.Write(ctx, func(tx *store.Tx) error {
					if _, err := tx.AppendEvent(ctx, event(i)); err != nil {
						return err
					}
					switch i % 3 {
					case 1:
						return fmt.Errorf("command %d refused", i)
					case 2:
						if i%6 == 2 {
							panic(fmt.Sprintf("command %d panicked", i))
						}
					}
					return nil
				})
			}()
		}
		wg.Wait()
		want := 0
		for i := 0; i < n; i++ {
			switch {
			case i%3 == 1:
				if errs[i] == nil || errors.Is(errs[i], context.Canceled) {
					t.Errorf("command %d: err %v, want its own refusal", i, errs[i])
				}
			case i%6 == 2:
				if panics[i] == nil {
					t.Errorf("command %d: the panic did not reach its caller", i)
				}
			default:
				if errs[i] != nil || panics[i] != nil {
					t.Errorf("command %d failed: %v %v", i, errs[i], panics[i])
				}
				want++
			}
		}
		var count int64
		var seqs []int64
		err := s.Read(ctx, func(tx *store.Tx) error {
			var err error
			if count, err = tx.EventCount(ctx); err != nil {
				return err
			}
			evs, err := tx.ListEvents(ctx, ledger.Filter{Limit: 500})
			for _, e := range evs {
				seqs = append(seqs, e.Seq)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if count != int64(want) || len(seqs) != want {
			t.Fatalf("events: head %d, rows %d; want %d (only the successful commands)", count, len(seqs), want)
		}
		for i, seq := range seqs {
			if seq != int64(i+1) {
				t.Fatalf("event numbers have a gap: %v", seqs)
			}
		}
	})
}
