package files

import (
	"errors"
	"io"
	"os"
)

// Copy is one watermarked copy of a stored file, presented without writing
// it anywhere: the original's first keep bytes, read from the file as they
// are served, followed by a small suffix (the new ZIP end record, or the
// trailing line). It is an io.ReadSeeker, so http.ServeContent serves it
// with ranges, and Send lets the server hand the original's bytes to the
// kernel (sendfile) instead of copying them through memory.
type Copy struct {
	f      *os.File
	keep   int64
	suffix []byte
	off    int64
}

func newCopy(f *os.File, keep int64, suffix []byte) *Copy {
	return &Copy{f: f, keep: keep, suffix: suffix}
}

// Size is the copy's length in bytes.
func (c *Copy) Size() int64 { return c.keep + int64(len(c.suffix)) }

// Read implements io.Reader.
func (c *Copy) Read(p []byte) (int, error) {
	if c.off >= c.Size() {
		return 0, io.EOF
	}
	if c.off < c.keep {
		n, err := c.f.ReadAt(p[:min(int64(len(p)), c.keep-c.off)], c.off)
		c.off += int64(n)
		if err == io.EOF && c.off < c.keep {
			err = io.ErrUnexpectedEOF // the stored file shrank under us
		} else if err == io.EOF {
			err = nil
		}
		return n, err
	}
	n := copy(p, c.suffix[c.off-c.keep:])
	c.off += int64(n)
	return n, nil
}

// Seek implements io.Seeker.
func (c *Copy) Seek(offset int64, whence int) (int64, error) {
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		offset += c.off
	case io.SeekEnd:
		offset += c.Size()
	default:
		return 0, errors.New("files: bad whence")
	}
	if offset < 0 {
		return 0, errors.New("files: negative position")
	}
	c.off = offset
	return offset, nil
}

// Send writes the next n bytes of the copy (fewer at its end) to w and
// advances. The original's part goes through w's ReadFrom when w has one,
// as a limited reader of the file itself: a net/http response writer then
// lets the kernel copy it to the socket.
func (c *Copy) Send(w io.Writer, n int64) (int64, error) {
	var sent int64
	if c.off < c.keep && n > 0 {
		k := min(n, c.keep-c.off)
		if _, err := c.f.Seek(c.off, io.SeekStart); err != nil {
			return 0, err
		}
		src := io.LimitReader(c.f, k)
		var m int64
		var err error
		if rf, ok := w.(io.ReaderFrom); ok {
			m, err = rf.ReadFrom(src)
		} else {
			m, err = io.Copy(w, src)
		}
		c.off += m
		sent += m
		n -= m
		if err != nil {
			return sent, err
		}
		if m < k {
			return sent, io.ErrUnexpectedEOF // the stored file shrank under us
		}
	}
	if c.off >= c.keep && c.off < c.Size() && n > 0 {
		rest := c.suffix[c.off-c.keep:]
		m, err := w.Write(rest[:min(int64(len(rest)), n)])
		c.off += int64(m)
		sent += int64(m)
		if err != nil {
			return sent, err
		}
	}
	return sent, nil
}

// Close closes the stored file.
func (c *Copy) Close() error { return c.f.Close() }
