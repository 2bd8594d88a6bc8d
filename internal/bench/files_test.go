package bench_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/govshare/govshare/internal/bench"
	"github.com/govshare/govshare/internal/store"
	"github.com/govshare/govshare/internal/storetest"
)

func fileBench(tb testing.TB, s *store.Store, size int64) *bench.FileDownload {
	f, err := bench.NewFileDownload(context.Background(), s, tb.TempDir(), size)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(f.Close)
	return f
}

// BenchmarkFileDownload: a 64 MiB file served by a bare http.ServeFile
// (the disk-to-socket rate) and through the gateway (signed, checked,
// watermarked, recorded); compare the two MB/s figures (target: gateway at
// least 80% of direct).
func BenchmarkFileDownload(b *testing.B) {
	const size = 64 << 20
	f := fileBench(b, storetest.SQLite(b), size)
	for _, c := range []struct {
		name string
		op   func(*http.Client) error
	}{{"direct", f.Direct}, {"gateway", f.Gateway}} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(size)
			client := &http.Client{}
			for b.Loop() {
				if err := c.op(client); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestFileDownloadBench keeps the measurement working on both engines.
func TestFileDownloadBench(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := fileBench(t, s, 4<<20)
		for range 2 {
			if err := f.Direct(http.DefaultClient); err != nil {
				t.Fatal(err)
			}
			if err := f.Gateway(http.DefaultClient); err != nil {
				t.Fatal(err)
			}
		}
	})
}
