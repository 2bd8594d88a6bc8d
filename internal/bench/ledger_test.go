package bench_test

import (
	"context"
	"math/rand/v2"
	"os"
	"runtime"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/govshare/govshare/internal/bench"
	"github.com/govshare/govshare/internal/ledger"
	"github.com/govshare/govshare/internal/store"
	"github.com/govshare/govshare/internal/storetest"
)

// TestLedgerAppendRuns keeps the append measurement working on both
// engines with tiny sizes: concurrent appends of one and of eight events a
// call are all acknowledged with gapless numbers (LedgerAppend checks) and
// form a ledger that integrates and verifies. It asserts results, never
// times.
func TestLedgerAppendRuns(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		var total int64
		for _, perCall := range []int{1, 8} {
			r, err := bench.LedgerAppend(ctx, s, "append", 200*time.Millisecond, 4, perCall)
			if err != nil {
				t.Fatal(err)
			}
			if r.Calls == 0 || r.Entries != r.Calls*int64(perCall) || r.Writers != 4 || r.PerCall != perCall {
				t.Fatalf("append %d per call: %+v", perCall, r)
			}
			total += r.Entries
		}
		// The appended events are a ledger like any other: it integrates
		// and verifies.
		env, err := bench.NewLedgerEnv(s)
		if err != nil {
			t.Fatal(err)
		}
		st, err := env.Tree.Integrate(ctx)
		if err != nil {
			t.Fatal(err)
		}
		rep, err := env.Verify(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if st.Size != uint64(total) || !rep.OK() || rep.Entries != total {
			t.Fatalf("after %d appends: state size %d, report %+v", total, st.Size, rep)
		}
	})
}

// TestLedgerVerifyRuns keeps the verify and inclusion measurement working:
// a generated ledger integrates, verifies clean and proves random entries
// (LedgerVerify checks each proof against the signed root).
func TestLedgerVerifyRuns(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		// More than one integration step (2048 events), in uneven calls.
		const n = 5000
		r, err := bench.LedgerVerify(context.Background(), s, string(s.Engine()), n, 700, 50)
		if err != nil {
			t.Fatal(err)
		}
		if r.Entries != n || r.Report.Entries != n || r.Report.TreeSize != n || !r.Report.OK() || r.Proofs != 50 {
			t.Fatalf("result %+v", r)
		}
	})
}

// TestLedgerVerifyFindsAlteredEntry makes sure the benchmark times a
// verification that checks: once a generated entry is edited behind the
// platform's back, LedgerEnv.Verify names it.
func TestLedgerVerifyFindsAlteredEntry(t *testing.T) {
	storetest.EachDirect(t, func(t *testing.T, s *store.Store, d storetest.Direct) {
		ctx := context.Background()
		env, err := bench.NewLedgerEnv(s)
		if err != nil {
			t.Fatal(err)
		}
		if err := env.Generate(ctx, 300, 64); err != nil {
			t.Fatal(err)
		}
		if _, err := env.Tree.Integrate(ctx); err != nil {
			t.Fatal(err)
		}
		if rep, err := env.Verify(ctx); err != nil || !rep.OK() || rep.Entries != 300 {
			t.Fatalf("untouched: %+v %v", rep, err)
		}
		if _, err := d.DB.ExecContext(ctx, "UPDATE events SET object_id = 'grant-forged' WHERE seq = 123"); err != nil {
			t.Fatal(err)
		}
		rep, err := env.Verify(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if rep.OK() || rep.Findings[0].Seq != 123 || rep.Findings[0].Kind != "altered" {
			t.Fatalf("after editing entry 123: %+v", rep.Findings)
		}
	})
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

// BenchmarkLedgerAppend: durable appends from 16 concurrent writers (more
// with GOVSHARE_BENCH_WRITERS), each op one AppendEvents call that returns
// once its events are committed; 1 and 8 events per call. entries/s is the
// figure of issue #5 (at least 20,000 on SQLite on 2 cores). PostgreSQL
// runs when GOVSHARE_TEST_POSTGRES is set.
func BenchmarkLedgerAppend(b *testing.B) {
	writers := envInt("GOVSHARE_BENCH_WRITERS", 16)
	run := func(b *testing.B, s *store.Store, perCall int) {
		ctx := context.Background()
		var writer atomic.Int64
		// RunParallel starts parallelism×GOMAXPROCS goroutines.
		b.SetParallelism(max(1, (writers+runtime.GOMAXPROCS(0)-1)/runtime.GOMAXPROCS(0)))
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			w := int(writer.Add(1))
			evs := make([]ledger.Event, perCall)
			for n := 0; pb.Next(); n++ {
				now := time.Now()
				for i := range evs {
					evs[i] = bench.LedgerEvent(now, w, n*perCall+i)
				}
				if _, err := s.AppendEvents(ctx, evs); err != nil {
					b.Error(err)
					return
				}
			}
		})
		b.ReportMetric(float64(b.N*perCall)/b.Elapsed().Seconds(), "entries/s")
	}
	for _, e := range []struct {
		name string
		open func(testing.TB) *store.Store
	}{{"sqlite", storetest.SQLite}, {"postgres", storetest.Postgres}} {
		b.Run(e.name, func(b *testing.B) {
			for _, perCall := range []int{1, 8} {
				b.Run(strconv.Itoa(perCall)+"-per-call", func(b *testing.B) { run(b, e.open(b), perCall) })
			}
		})
	}
}

// ledgerOf is a store holding n generated entries, integrated.
func ledgerOf(b *testing.B, s *store.Store, n int) *bench.LedgerEnv {
	ctx := context.Background()
	env, err := bench.NewLedgerEnv(s)
	if err != nil {
		b.Fatal(err)
	}
	t := time.Now()
	if err := env.Generate(ctx, n, 5000); err != nil {
		b.Fatal(err)
	}
	gen := time.Since(t)
	t = time.Now()
	if _, err := env.Tree.Integrate(ctx); err != nil {
		b.Fatal(err)
	}
	b.Logf("%d entries generated in %s, integrated in %s", n, gen.Round(time.Millisecond), time.Since(t).Round(time.Millisecond))
	return env
}

// BenchmarkLedgerVerify: ledger.Verify over GOVSHARE_BENCH_LEDGER_ENTRIES
// entries (100,000 by default; issue #5 asks 1,000,000 in under 10 s, which
// `govshare bench` measures), on SQLite.
func BenchmarkLedgerVerify(b *testing.B) {
	n := envInt("GOVSHARE_BENCH_LEDGER_ENTRIES", 100000)
	env := ledgerOf(b, storetest.SQLite(b), n)
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		r, err := env.Verify(ctx)
		if err != nil || !r.OK() || r.Entries != int64(n) {
			b.Fatalf("%+v %v", r, err)
		}
	}
	b.ReportMetric(float64(b.N*n)/b.Elapsed().Seconds(), "entries/s")
}

// BenchmarkLedgerInclusion: Tree.Inclusion for random entries of a
// ledger of GOVSHARE_BENCH_LEDGER_ENTRIES entries (100,000 by default) on
// SQLite; issue #5 asks under a millisecond.
func BenchmarkLedgerInclusion(b *testing.B) {
	n := envInt("GOVSHARE_BENCH_LEDGER_ENTRIES", 100000)
	env := ledgerOf(b, storetest.SQLite(b), n)
	ctx := context.Background()
	rnd := rand.New(rand.NewPCG(1, 2))
	b.ResetTimer()
	for b.Loop() {
		if _, err := env.Tree.Inclusion(ctx, 1+rnd.Int64N(int64(n)), 0); err != nil {
			b.Fatal(err)
		}
	}
}
