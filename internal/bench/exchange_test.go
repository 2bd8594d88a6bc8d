package bench_test

import (
	"context"
	"flag"
	"net/http"
	"testing"

	"github.com/govshare/govshare/internal/bench"
	"github.com/govshare/govshare/internal/store"
	"github.com/govshare/govshare/internal/storetest"
)

var pullRows = flag.Int("pull-rows", 20000, "rows of the hosted dataset BenchmarkBatchPull pulls")

// BenchmarkBatchPull: one full pull of a hosted dataset (snapshot to the
// live end) through the signed gateway; rows/s is the figure of issue #4
// (target: at least 100,000). go test -bench BatchPull -pull-rows 100000.
func BenchmarkBatchPull(b *testing.B) {
	run := func(b *testing.B, s *store.Store) {
		p, err := bench.NewBatchPull(context.Background(), s, *pullRows)
		if err != nil {
			b.Fatal(err)
		}
		defer p.Close()
		c := &http.Client{}
		rows := 0
		b.ResetTimer()
		for b.Loop() {
			n, err := p.Run(c)
			if err != nil {
				b.Fatal(err)
			}
			rows += n
		}
		b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
	}
	b.Run("sqlite", func(b *testing.B) { run(b, storetest.SQLite(b)) })
	b.Run("postgres", func(b *testing.B) { run(b, storetest.Postgres(b)) })
}

// TestBatchPullBench keeps the measurement working on both engines: a
// small dataset pulled in full, twice, page checksums verified.
func TestBatchPullBench(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		p, err := bench.NewBatchPull(context.Background(), s, 7000)
		if err != nil {
			t.Fatal(err)
		}
		defer p.Close()
		for range 2 {
			n, err := p.Run(http.DefaultClient)
			if err != nil || n != 7000 {
				t.Fatalf("pulled %d rows: %v", n, err)
			}
		}
	})
}
