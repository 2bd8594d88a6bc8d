package bench_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/govshare/govshare/internal/bench"
	"github.com/govshare/govshare/internal/store"
	"github.com/govshare/govshare/internal/storetest"
)

func workflowEnv(tb testing.TB, s *store.Store) (*bench.Env, *bench.Workflow) {
	ctx := context.Background()
	env, err := bench.Setup(ctx, s)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(env.Close)
	w, err := bench.NewWorkflow(ctx, env, s)
	if err != nil {
		tb.Fatal(err)
	}
	return env, w
}

// BenchmarkWorkflow: one complete application workflow through the API —
// apply, the consumer head's approval, the provider head's reply.
func BenchmarkWorkflow(b *testing.B) {
	run := func(b *testing.B, s *store.Store) {
		_, w := workflowEnv(b, s)
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			c := &http.Client{}
			for pb.Next() {
				if err := w.Run(c); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	b.Run("sqlite", func(b *testing.B) { run(b, storetest.SQLite(b)) })
	b.Run("postgres", func(b *testing.B) { run(b, storetest.Postgres(b)) })
}

// TestWorkflowBench keeps the workflow measurement working on both engines.
func TestWorkflowBench(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		_, w := workflowEnv(t, s)
		for range 3 {
			if err := w.Run(http.DefaultClient); err != nil {
				t.Fatal(err)
			}
		}
	})
}
