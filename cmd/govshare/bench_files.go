package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/govshare/govshare/internal/bench"
	"github.com/govshare/govshare/internal/store"
)

// benchFiles measures file download (issue #4: the gateway within 80% of
// the disk-to-socket rate) on a fresh SQLite store: a generated file of
// mib MiB served by a bare http.ServeFile and through the gateway, by the
// same clients, in alternating rounds. The file is written once into a
// temporary directory and removed afterwards.
func benchFiles(ctx context.Context, open func() (*store.Store, func(), error), mib int, d time.Duration, workers int, stdout io.Writer) error {
	s, cleanup, err := open()
	if err != nil {
		return fmt.Errorf("bench files: %w", err)
	}
	defer cleanup()
	if _, err := s.Migrate(ctx); err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "govshare-bench-files-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	fd, err := bench.NewFileDownload(ctx, s, dir, int64(mib)<<20)
	if err != nil {
		return fmt.Errorf("bench files: %w", err)
	}
	defer fd.Close()
	r, err := bench.MeasureFileDownload(ctx, fd, d, workers)
	if err != nil {
		return fmt.Errorf("bench files: %w", err)
	}
	fmt.Fprintf(stdout, "\n--- file download: a %d MiB file, disk to socket on loopback (sqlite) ---\n%s\n", mib, r)
	return nil
}
