package bench_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/govshare/govshare/internal/bench"
	"github.com/govshare/govshare/internal/calendar"
	"github.com/govshare/govshare/internal/store"
	"github.com/govshare/govshare/internal/storetest"
)

func BenchmarkDeadline(b *testing.B) {
	cal := calendar.Builtin()
	from := calendar.Date{Year: 2026, Month: 9, Day: 28}
	for b.Loop() {
		if _, err := cal.Due(from, 10); err != nil {
			b.Fatal(err)
		}
	}
}

func benchAPI(b *testing.B, op func(*bench.Env, *http.Client) error) {
	run := func(b *testing.B, s *store.Store) {
		env, err := bench.Setup(context.Background(), s)
		if err != nil {
			b.Fatal(err)
		}
		defer env.Close()
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			client := &http.Client{}
			for pb.Next() {
				if err := op(env, client); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	b.Run("sqlite", func(b *testing.B) { run(b, storetest.SQLite(b)) })
	b.Run("postgres", func(b *testing.B) { run(b, storetest.Postgres(b)) })
}

// BenchmarkSignIn: one password sign-in through the API (Argon2id dominates).
func BenchmarkSignIn(b *testing.B) {
	benchAPI(b, func(e *bench.Env, c *http.Client) error { return e.SignIn(c) })
}

// BenchmarkAuthorisedRead: GET /api/v1/people/{id} with a bearer token,
// authorised by role and organisation in the service layer.
func BenchmarkAuthorisedRead(b *testing.B) {
	benchAPI(b, func(e *bench.Env, c *http.Client) error { return e.Read(c) })
}

// TestBenchEnv keeps the benchmark set-up working: both operations succeed.
func TestBenchEnv(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		env, err := bench.Setup(context.Background(), s)
		if err != nil {
			t.Fatal(err)
		}
		defer env.Close()
		if err := env.SignIn(http.DefaultClient); err != nil {
			t.Fatal(err)
		}
		if err := env.Read(http.DefaultClient); err != nil {
			t.Fatal(err)
		}
	})
}
