package main

import (
	"context"
	"flag"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/govshare/govshare/internal/files"
)

// TestFilesDirectory: beside an SQLite database the files directory is
// files/ in the data directory, created at start; --files-dir and
// --files-max-bytes override it; a temporary file a crash left is swept.
func TestFilesDirectory(t *testing.T) {
	ctx := context.Background()
	data := t.TempDir()
	dsn := filepath.Join(data, "govshare.db")
	log := newLogger(io.Discard)
	a, err := openApp(ctx, dsn, log)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Store.Close()

	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	t.Setenv(EnvFilesDir, "")
	if err := useFiles(ctx, a, dsn, filesFlags(fs), log); err != nil {
		t.Fatal(err)
	}
	if c, ok := a.Files.Config(); !ok || c.Dir != filepath.Join(data, "files") || c.MaxBytes != files.DefaultMaxBytes {
		t.Fatalf("config %+v %v", c, ok)
	}
	if st, err := os.Stat(filepath.Join(data, "files")); err != nil || !st.IsDir() {
		t.Fatalf("files directory: %v", err)
	}

	own := t.TempDir()
	stale := filepath.Join(own, ".upload-crashed")
	if err := os.WriteFile(stale, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(stale, timeAgo(48), timeAgo(48)); err != nil {
		t.Fatal(err)
	}
	fs = flag.NewFlagSet("t", flag.ContinueOnError)
	fo := filesFlags(fs)
	if err := fs.Parse([]string{"--files-dir", own, "--files-max-bytes", "1024"}); err != nil {
		t.Fatal(err)
	}
	if err := useFiles(ctx, a, dsn, fo, log); err != nil {
		t.Fatal(err)
	}
	if c, _ := a.Files.Config(); c.Dir != own || c.MaxBytes != 1024 {
		t.Fatalf("config %+v", c)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Fatalf("the crashed upload's temporary file was not swept: %v", err)
	}
}

func timeAgo(hours int) time.Time { return time.Now().Add(-time.Duration(hours) * time.Hour) }
