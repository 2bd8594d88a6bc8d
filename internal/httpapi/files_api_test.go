package httpapi_test

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"runtime"
	"testing"
	"time"

	"github.com/emmansun/gmsm/sm3"

	"github.com/govshare/govshare/internal/files"
	"github.com/govshare/govshare/internal/store"
	"github.com/govshare/govshare/internal/storetest"
)

// upload sends body as a file of entry, as username, with extra headers.
func (e *env) uploadFile(username, entry, name string, body io.Reader, length int64, header map[string]string) response {
	e.t.Helper()
	req, err := http.NewRequest("POST", e.srv.URL+"/api/v1/catalog/entries/"+entry+"/files?name="+url.QueryEscape(name), body)
	if err != nil {
		e.t.Fatal(err)
	}
	req.ContentLength = length
	req.Header.Set("Authorization", "Bearer "+e.token(username))
	for k, v := range header {
		req.Header.Set(k, v)
	}
	return e.send(req)
}

func (e *env) filesDir() string {
	e.t.Helper()
	c, ok := e.app.Files.Config()
	if !ok {
		e.t.Fatal("no files directory")
	}
	return c.Dir
}

// waitEmptyDir waits until the files directory is empty: a handler whose
// client went away finishes after the client's call returned.
func (e *env) waitEmptyDir() {
	e.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		ents, err := os.ReadDir(e.filesDir())
		if err != nil {
			e.t.Fatal(err)
		}
		if len(ents) == 0 {
			return
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("the files directory still holds %v", ents)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestFileUploadAPI: an upload over HTTP answers 201 with the stored
// metadata (schema SharedFile) only once the bytes are on disk; a body cut
// short by the client, one over the maximum, one failing its declared
// digest and one with an Idempotency-Key leave no row and no file.
func TestFileUploadAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		schema := oaSchemas(t)
		entry := fileEntry(e)
		body := []byte("处罚决定书文号,当事人名称\n浙市监罚〔2026〕1号,某公司\n")
		sum := sm3.Sum(body)
		res := e.uploadFile("gat.staff", entry, "处罚.csv", bytes.NewReader(body), int64(len(body)),
			map[string]string{"Content-Type": "text/csv", files.HeaderSM3: hex.EncodeToString(sum[:])})
		if res.status != http.StatusCreated {
			t.Fatalf("upload: %d %s", res.status, res.body)
		}
		validate(t, schema("SharedFile"), res.body)
		var f files.File
		res.json(t, &f)
		if res.header.Get("Location") != "/api/v1/files/"+f.ID || f.Size != int64(len(body)) || f.MediaType != "text/csv" {
			t.Fatalf("file %+v, location %q", f, res.header.Get("Location"))
		}
		if onDisk, err := os.ReadFile(e.filesDir() + "/" + f.ID); err != nil || !bytes.Equal(onDisk, body) {
			t.Fatalf("on disk: %v", err)
		}
		page := e.do("gat.head", "GET", "/api/v1/catalog/entries/"+entry+"/files", nil)
		validate(t, schema("SharedFilePage"), page.body)
		del := e.do("gat.head", "DELETE", "/api/v1/files/"+f.ID, nil)
		if del.status != http.StatusOK {
			t.Fatalf("delete: %d %s", del.status, del.body)
		}
		validate(t, schema("SharedFile"), del.body)
		e.waitEmptyDir()

		before := e.eventCount()
		if err := e.app.Files.Configure(files.Config{Dir: e.filesDir(), MaxBytes: 1 << 20}); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			name   string
			body   io.Reader
			length int64
			header map[string]string
			status int
			code   string
		}{
			{"over the maximum, declared", bytes.NewReader(make([]byte, 2<<20)), 2 << 20, nil, 413, "files.too_large"},
			{"over the maximum, chunked", bytes.NewReader(make([]byte, 2<<20)), -1, nil, 413, "files.too_large"},
			{"digest mismatch", bytes.NewReader(body), int64(len(body)), map[string]string{files.HeaderSM3: hex.EncodeToString(make([]byte, 32))}, 422, "files.checksum_mismatch"},
			{"idempotency key", bytes.NewReader(body), int64(len(body)), map[string]string{"Idempotency-Key": "k1"}, 400, "request.idempotency_unsupported"},
			{"no name", bytes.NewReader(body), int64(len(body)), nil, 422, "files.name_required"},
		} {
			name := "x.csv"
			if c.name == "no name" {
				name = ""
			}
			res := e.uploadFile("gat.staff", entry, name, c.body, c.length, c.header)
			if res.status != c.status || res.problem(t).Code != c.code {
				t.Errorf("%s: %d %s, want %d %s", c.name, res.status, res.body, c.status, c.code)
			}
			e.waitEmptyDir()
		}

		// The client promises 1000 bytes, sends 500 and hangs up.
		conn, err := net.Dial("tcp", e.srv.Listener.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(conn, "POST /api/v1/catalog/entries/%s/files?name=cut.csv HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"+
			"Content-Type: text/csv\r\nContent-Length: 1000\r\n\r\n", entry, e.token("gat.staff"))
		conn.Write(bytes.Repeat([]byte("a"), 500))
		for start := time.Now(); ; time.Sleep(10 * time.Millisecond) { // the upload is being written
			if ents, _ := os.ReadDir(e.filesDir()); len(ents) == 1 {
				break
			}
			if time.Since(start) > 5*time.Second {
				t.Fatal("the cut upload never reached the disk")
			}
		}
		conn.Close()
		e.waitEmptyDir()
		deadline := time.Now().Add(5 * time.Second)
		for e.eventCount() != before && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
		if n := e.eventCount() - before; n != 0 {
			t.Errorf("refused uploads wrote %d event(s)", n)
		}
		var rows []files.File
		rows, err = e.app.Files.List(t.Context(), e.as("gat.head"), files.Filter{EntryID: entry, Limit: 10, IncludeDeleted: true})
		if err != nil || len(rows) != 1 {
			t.Fatalf("rows %+v (want only the deleted one), %v", rows, err)
		}
	})
}

// lazyBody produces n bytes on demand, so that neither side of the test
// holds the file.
type lazyBody struct{ n, off int64 }

func (l *lazyBody) Read(p []byte) (int, error) {
	if l.off >= l.n {
		return 0, io.EOF
	}
	k := min(int64(len(p)), l.n-l.off)
	for i := range k {
		p[i] = byte('a' + (l.off+i)%26)
	}
	l.off += k
	return int(k), nil
}

// TestFileUploadStreamsOverHTTP: a 64 MiB upload through the real server
// allocates a small fraction of its size, client and server together; a
// handler that read the body whole would allocate all of it.
func TestFileUploadStreamsOverHTTP(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t))
	entry := fileEntry(e)
	const size = 64 << 20
	e.token("gat.staff")
	runtime.GC()
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	res := e.uploadFile("gat.staff", entry, "big.bin", &lazyBody{n: size}, size, nil)
	runtime.ReadMemStats(&m1)
	if res.status != http.StatusCreated {
		t.Fatalf("upload: %d %s", res.status, res.body)
	}
	if alloc := m1.TotalAlloc - m0.TotalAlloc; alloc > 16<<20 {
		t.Errorf("a 64 MiB upload allocated %d MiB; the body is not streamed", alloc>>20)
	}
	var f files.File
	res.json(t, &f)
	h := sm3.New()
	io.Copy(h, &lazyBody{n: size})
	if f.Size != size || f.SM3 != hex.EncodeToString(h.Sum(nil)) {
		t.Fatalf("file %+v", f)
	}
}
