package main

import (
	"context"
	"flag"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/govshare/govshare/internal/app"
	"github.com/govshare/govshare/internal/files"
	"github.com/govshare/govshare/internal/store"
)

// EnvFilesDir names the files directory when --files-dir is not given.
const EnvFilesDir = "GOVSHARE_FILES_DIR"

// filesOptions are the file-download options of a command that serves.
type filesOptions struct {
	dir      *string
	maxBytes *int64
}

func filesFlags(fs *flag.FlagSet) filesOptions {
	return filesOptions{
		dir: fs.String("files-dir", os.Getenv(EnvFilesDir),
			"directory of the files providers upload for file download (default: files/ beside an SQLite database; nodes sharing PostgreSQL must share one, e.g. on NFS)"),
		maxBytes: fs.Int64("files-max-bytes", files.DefaultMaxBytes, "largest file a provider may upload, in bytes"),
	}
}

// useFiles gives the files service its directory, chosen like the master
// key's: beside an SQLite file by default (created on first use); with
// PostgreSQL only when named, since every node must see the same files.
// Without one, uploads and downloads fail with files.storage_missing. What
// a crash left in the directory is swept.
func useFiles(ctx context.Context, a *app.App, dsn string, o filesOptions, log *slog.Logger) error {
	dir := *o.dir
	if dir == "" && a.Store.Engine() == store.SQLite {
		dir = filepath.Join(filepath.Dir(strings.TrimPrefix(dsn, "sqlite:")), "files")
	}
	if dir == "" {
		log.Warn("no files directory: file download is off", "set", "--files-dir or "+EnvFilesDir)
		return nil
	}
	if err := a.Files.Configure(files.Config{Dir: dir, MaxBytes: *o.maxBytes}); err != nil {
		return err
	}
	n, err := a.Files.Sweep(ctx)
	if err != nil {
		return err
	}
	log.Info("files ready", "dir", dir, "max_bytes", *o.maxBytes, "swept", n)
	return nil
}
