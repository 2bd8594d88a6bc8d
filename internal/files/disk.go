package files

import (
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/emmansun/gmsm/sm3"
)

// tempPrefix names the files an upload writes before it is complete; they
// are never served, and those left by a crash are swept.
const tempPrefix = ".upload-"

// copyBuffer is the size of one read of an upload: large enough that the
// per-read cost does not show, small enough that memory does not grow with
// the file.
const copyBuffer = 1 << 20

// received is a body written to disk and synced, not yet renamed into place.
type received struct {
	tmp  *os.File
	size int64
	sum  string
}

// discard removes the temporary file.
func (r *received) discard() {
	r.tmp.Close()
	os.Remove(r.tmp.Name())
}

// readErr remembers a failure of the body, so that it is told apart from a
// failure of the disk.
type readErr struct {
	r   io.Reader
	err error
}

func (e *readErr) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err != nil && err != io.EOF {
		e.err = err
	}
	return n, err
}

// receive streams body into a temporary file of dir, computing its SM3 and
// size as it goes, and syncs it. It refuses a body longer than maxBytes or
// than declared, shorter than declared, broken off, empty, or not matching
// the declared digest; then nothing is left on disk.
func receive(dir string, in Upload, maxBytes int64, body io.Reader) (*received, error) {
	tmp, err := os.CreateTemp(dir, tempPrefix+"*")
	if err != nil {
		return nil, fmt.Errorf("files: create temporary file: %w", err)
	}
	r := &received{tmp: tmp}
	ok := false
	defer func() {
		if !ok {
			r.discard()
		}
	}()
	h := sm3.New()
	src := &readErr{r: body}
	n, err := io.CopyBuffer(io.MultiWriter(tmp, h), io.LimitReader(src, maxBytes+1), make([]byte, copyBuffer))
	switch {
	case src.err != nil:
		return nil, errIncomplete
	case err != nil:
		return nil, fmt.Errorf("files: write %s: %w", tmp.Name(), err)
	case n > maxBytes:
		return nil, tooLarge(maxBytes)
	case in.Length >= 0 && n != in.Length:
		return nil, errIncomplete
	case n == 0:
		return nil, errEmpty
	}
	r.size, r.sum = n, hex.EncodeToString(h.Sum(nil))
	if in.SM3 != "" && !strings.EqualFold(in.SM3, r.sum) {
		return nil, errChecksum
	}
	if err := tmp.Sync(); err != nil {
		return nil, fmt.Errorf("files: sync %s: %w", tmp.Name(), err)
	}
	ok = true
	return r, nil
}

// place renames the received file to its final name and syncs the
// directory, so that the name survives a crash; it closes the temporary
// file.
func (r *received) place(final string) error {
	if err := r.tmp.Close(); err != nil {
		os.Remove(r.tmp.Name())
		return fmt.Errorf("files: close %s: %w", r.tmp.Name(), err)
	}
	if err := os.Rename(r.tmp.Name(), final); err != nil {
		os.Remove(r.tmp.Name())
		return fmt.Errorf("files: rename into place: %w", err)
	}
	if err := syncDir(filepath.Dir(final)); err != nil {
		os.Remove(final)
		return err
	}
	return nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("files: open directory: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, os.ErrInvalid) {
		return fmt.Errorf("files: sync directory: %w", err)
	}
	return nil
}

// sweepTemp removes the temporary files of uploads that ended with the
// process (older than age: a node sharing the directory may be writing the
// younger ones).
func sweepTemp(dir string, age time.Duration, now time.Time) (int, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, e := range ents {
		if !strings.HasPrefix(e.Name(), tempPrefix) {
			continue
		}
		if info, err := e.Info(); err == nil && now.Sub(info.ModTime()) > age {
			if os.Remove(filepath.Join(dir, e.Name())) == nil {
				n++
			}
		}
	}
	return n, nil
}
