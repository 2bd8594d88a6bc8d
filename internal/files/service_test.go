package files_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/emmansun/gmsm/sm3"

	"github.com/govshare/govshare/internal/app"
	"github.com/govshare/govshare/internal/auth"
	"github.com/govshare/govshare/internal/files"
	"github.com/govshare/govshare/internal/problem"
	"github.com/govshare/govshare/internal/store"
	"github.com/govshare/govshare/internal/storetest"
)

func code(err error) string {
	var p *problem.Error
	if errors.As(err, &p) {
		return p.Code
	}
	if err == nil {
		return ""
	}
	return "other: " + err.Error()
}

// TestUpload: the provider's office uploads; the row holds name, media
// type, size and SM3 of the bytes on disk; the act is recorded; others are
// refused before a byte is read.
func TestUpload(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		ctx := context.Background()
		body := []byte("处罚决定书文号,当事人名称\r\n浙市监罚〔2026〕1号,某公司\r\n")
		sum := sm3.Sum(body)
		f, err := e.app.Files.Upload(ctx, e.as("scjg.staff"), e.entry, files.Upload{Name: "处罚信息.csv", Length: int64(len(body)),
			SM3: hex.EncodeToString(sum[:])}, bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if f.Size != int64(len(body)) || f.SM3 != hex.EncodeToString(sum[:]) || f.MediaType != "text/csv; charset=utf-8" ||
			f.Watermark != files.MarkTextLine || f.Name != "处罚信息.csv" || f.ProviderID != e.p.Departments["浙江省市场监督管理局"].ID {
			t.Fatalf("file %+v", f)
		}
		onDisk, err := os.ReadFile(filepath.Join(e.dir, f.ID))
		if err != nil || !bytes.Equal(onDisk, body) {
			t.Fatalf("bytes on disk %q, %v", onDisk, err)
		}
		if evs := e.events(files.ActionUpload); len(evs) != 1 || evs[0].ObjectID != f.ID {
			t.Fatalf("upload events %+v", evs)
		}
		got, err := e.app.Files.Get(ctx, e.as("admin"), f.ID)
		if err != nil || got.SM3 != f.SM3 || !got.UploadedAt.Equal(f.UploadedAt) {
			t.Fatalf("get %+v, %v", got, err)
		}

		// Nobody else's body is read: the reader would fail the test.
		unread := readerFunc(func([]byte) (int, error) { t.Fatal("a refused upload read its body"); return 0, nil })
		for _, who := range []string{"gat.staff", "gat.head", "admin", "audit"} {
			if _, err := e.app.Files.Upload(ctx, e.as(who), e.entry, files.Upload{Name: "x.csv", Length: -1}, unread); code(err) != "auth.forbidden" {
				t.Errorf("%s: %v, want auth.forbidden", who, err)
			}
		}
		// An entry that does not offer file download.
		other := e.p.Entries["企业登记基本信息"]
		if _, err := e.app.Files.Upload(ctx, e.as("scjg.staff"), other, files.Upload{Name: "x.csv", Length: -1}, unread); code(err) != "files.method_not_offered" {
			t.Errorf("entry without file download: %v", err)
		}
		for _, name := range []string{"", "../x.csv", "a/b.csv", "a\x00b"} {
			if _, err := e.app.Files.Upload(ctx, e.as("scjg.staff"), e.entry, files.Upload{Name: name, Length: -1}, unread); !strings.HasPrefix(code(err), "files.name_") {
				t.Errorf("name %q: %v", name, err)
			}
		}
		list, err := e.app.Files.List(ctx, e.as("scjg.head"), files.Filter{EntryID: e.entry, Limit: 10})
		if err != nil || len(list) != 1 || list[0].ID != f.ID {
			t.Fatalf("list %+v, %v", list, err)
		}
		if _, err := e.app.Files.List(ctx, e.as("gat.head"), files.Filter{EntryID: e.entry, Limit: 10}); code(err) != "auth.forbidden" {
			t.Errorf("consumer lists through the API: %v", err)
		}
	})
}

type readerFunc func([]byte) (int, error)

func (f readerFunc) Read(p []byte) (int, error) { return f(p) }

// TestUploadFailuresLeaveNothing: a body longer than allowed (declared or
// streamed), shorter than declared, broken off, empty or failing its
// declared digest is refused with its code, and leaves no row, no file and
// no event.
func TestUploadFailuresLeaveNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		if err := e.app.Files.Configure(files.Config{Dir: e.dir, MaxBytes: 1000}); err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		ok := bytes.Repeat([]byte("a,b\n"), 100)
		broken := io.MultiReader(bytes.NewReader(ok[:200]), readerFunc(func([]byte) (int, error) { return 0, io.ErrUnexpectedEOF }))
		zero := make([]byte, 64)
		cases := []struct {
			name string
			in   files.Upload
			body io.Reader
			code string
		}{
			{"declared too large", files.Upload{Length: 1001}, bytes.NewReader(make([]byte, 1001)), "files.too_large"},
			{"streamed too large", files.Upload{Length: -1}, bytes.NewReader(make([]byte, 5000)), "files.too_large"},
			{"shorter than declared", files.Upload{Length: 500}, bytes.NewReader(ok[:300]), "files.upload_incomplete"},
			{"longer than declared", files.Upload{Length: 100}, bytes.NewReader(ok[:300]), "files.upload_incomplete"},
			{"broken off", files.Upload{Length: -1}, broken, "files.upload_incomplete"},
			{"empty", files.Upload{Length: -1}, bytes.NewReader(nil), "files.empty"},
			{"checksum mismatch", files.Upload{Length: -1, SM3: hex.EncodeToString(zero[:32])}, bytes.NewReader(ok), "files.checksum_mismatch"},
			{"checksum malformed", files.Upload{Length: -1, SM3: "abc"}, bytes.NewReader(ok), "files.checksum_invalid"},
		}
		before := e.eventCount()
		for _, c := range cases {
			c.in.Name = "x.csv"
			if _, err := e.app.Files.Upload(ctx, e.as("scjg.staff"), e.entry, c.in, c.body); code(err) != c.code {
				t.Errorf("%s: %v, want %s", c.name, err, c.code)
			}
			if names := e.dirNames(); len(names) != 0 {
				t.Errorf("%s: left %v in the files directory", c.name, names)
			}
		}
		list, err := e.app.Files.List(ctx, e.as("scjg.head"), files.Filter{EntryID: e.entry, Limit: 10, IncludeDeleted: true})
		if err != nil || len(list) != 0 {
			t.Fatalf("rows after failed uploads: %+v, %v", list, err)
		}
		if after := e.eventCount(); after != before {
			t.Errorf("failed uploads wrote %d event(s)", after-before)
		}
	})
}

// lazy produces n bytes of CSV-like text on demand, so the test itself
// holds none of it.
type lazy struct{ n, off int64 }

func (l *lazy) Read(p []byte) (int, error) {
	if l.off >= l.n {
		return 0, io.EOF
	}
	k := min(int64(len(p)), l.n-l.off)
	for i := range k {
		p[i] = "0123456789,\n"[(l.off+i)%12]
	}
	l.off += k
	return int(k), nil
}

// TestUploadStreams: a 64 MiB upload is streamed to disk: the service
// allocates a small fraction of the file's size (a buffered upload would
// allocate at least all of it), and the digest is that of the bytes.
func TestUploadStreams(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t))
	const size = 64 << 20
	ctx := context.Background()
	h := sm3.New()
	if _, err := io.Copy(h, &lazy{n: size}); err != nil {
		t.Fatal(err)
	}
	want := hex.EncodeToString(h.Sum(nil))
	actor := e.as("scjg.staff")
	runtime.GC()
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	f, err := e.app.Files.Upload(ctx, actor, e.entry, files.Upload{Name: "big.csv", Length: size, SM3: want}, &lazy{n: size})
	runtime.ReadMemStats(&m1)
	if err != nil {
		t.Fatal(err)
	}
	if alloc := m1.TotalAlloc - m0.TotalAlloc; alloc > 8<<20 {
		t.Errorf("uploading 64 MiB allocated %d MiB; the body is not streamed", alloc>>20)
	}
	if f.Size != size || f.SM3 != want {
		t.Fatalf("file %+v", f)
	}
	if st, err := os.Stat(filepath.Join(e.dir, f.ID)); err != nil || st.Size() != size {
		t.Fatalf("stored file: %v %v", st, err)
	}
}

// TestDeleteIsSoft: the provider's office deletes a file: the row stays
// with who and when, listings skip it unless asked, the bytes are gone,
// a second delete is refused, and both acts are recorded.
func TestDeleteIsSoft(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		ctx := context.Background()
		f, err := e.app.Files.Upload(ctx, e.as("scjg.staff"), e.entry, files.Upload{Name: "a.txt", Length: -1}, strings.NewReader("hello\n"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.app.Files.Delete(ctx, e.as("gat.head"), f.ID); code(err) != "auth.forbidden" {
			t.Fatalf("consumer deletes: %v", err)
		}
		d, err := e.app.Files.Delete(ctx, e.as("scjg.head"), f.ID)
		if err != nil || d.DeletedAt == nil || d.DeletedBy != e.p.Account("scjg.head").ID {
			t.Fatalf("delete: %+v, %v", d, err)
		}
		if _, err := e.app.Files.Delete(ctx, e.as("scjg.head"), f.ID); code(err) != "files.already_deleted" {
			t.Fatalf("second delete: %v", err)
		}
		if _, err := os.Stat(filepath.Join(e.dir, f.ID)); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("bytes of a deleted file: %v", err)
		}
		live, _ := e.app.Files.List(ctx, e.as("scjg.head"), files.Filter{EntryID: e.entry, Limit: 10})
		all, _ := e.app.Files.List(ctx, e.as("scjg.head"), files.Filter{EntryID: e.entry, Limit: 10, IncludeDeleted: true})
		if len(live) != 0 || len(all) != 1 || all[0].DeletedAt == nil {
			t.Fatalf("live %+v, all %+v", live, all)
		}
		if evs := e.events(files.ActionDelete); len(evs) != 1 || evs[0].ObjectID != f.ID {
			t.Fatalf("delete events %+v", evs)
		}
	})
}

// TestSweep: what a crash leaves (an old temporary file, bytes renamed into
// place whose row was never committed) is removed at start; a file with
// its row stays.
func TestSweep(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t))
	ctx := context.Background()
	f, err := e.app.Files.Upload(ctx, e.as("scjg.staff"), e.entry, files.Upload{Name: "a.txt", Length: -1}, strings.NewReader("kept\n"))
	if err != nil {
		t.Fatal(err)
	}
	orphan := filepath.Join(e.dir, "01890a5d-ac96-774b-bcce-b302099a8057")
	tmp := filepath.Join(e.dir, ".upload-123")
	for _, p := range []string{orphan, tmp, filepath.Join(e.dir, f.ID)} {
		if p != filepath.Join(e.dir, f.ID) {
			if err := os.WriteFile(p, []byte("x"), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		old := time.Now().Add(-72 * time.Hour)
		if err := os.Chtimes(p, old, old); err != nil {
			t.Fatal(err)
		}
	}
	n, err := e.app.Files.Sweep(ctx)
	if err != nil || n != 2 {
		t.Fatalf("sweep removed %d, %v", n, err)
	}
	if names := e.dirNames(); !slices.Equal(names, []string{f.ID}) {
		t.Fatalf("left %v, want only %s", names, f.ID)
	}
}

// TestUploadSurvivesRestart: once Upload has returned, a restart (the
// SQLite file closed and reopened, a new platform over it) finds the row
// and its bytes, the start-up sweep keeps them, and they download.
func TestUploadSurvivesRestart(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "govshare.db")
	s, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, s)
	body := "处罚决定书文号\n浙市监罚〔2026〕1号\n"
	f, err := e.app.Files.Upload(ctx, e.as("scjg.staff"), e.entry, files.Upload{Name: "a.csv", Length: -1}, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	s.Close()

	s2, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	e.s = s2
	a2 := app.New(s2, e.clock.Now, auth.DefaultPolicy)
	if err := a2.Files.Configure(files.Config{Dir: e.dir}); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-72 * time.Hour)
	if err := os.Chtimes(filepath.Join(e.dir, f.ID), old, old); err != nil {
		t.Fatal(err)
	}
	if n, err := a2.Files.Sweep(ctx); err != nil || n != 0 {
		t.Fatalf("sweep after restart removed %d, %v", n, err)
	}
	got, err := a2.Files.Get(ctx, e.as("scjg.head"), f.ID)
	if err != nil || got.SM3 != f.SM3 || got.Size != f.Size {
		t.Fatalf("after restart: %+v, %v", got, err)
	}
	l, _, err := a2.Files.RequestLink(ctx, e.sys, f.ID, files.LinkRequest{GrantID: e.grant.ID, Purpose: purpose})
	if err != nil {
		t.Fatal(err)
	}
	d, err := a2.Files.Open(ctx, e.sys, l.ID)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	got2, _ := io.ReadAll(d.Copy)
	if !strings.HasPrefix(string(got2), body) {
		t.Fatalf("copy after restart %q", got2)
	}
}
