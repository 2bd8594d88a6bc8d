package bench

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"time"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/app"
	"github.com/govshare/govshare/internal/application"
	"github.com/govshare/govshare/internal/auth"
	"github.com/govshare/govshare/internal/demo"
	"github.com/govshare/govshare/internal/files"
	"github.com/govshare/govshare/internal/gateway"
	"github.com/govshare/govshare/internal/httpapi"
	"github.com/govshare/govshare/internal/store"
)

// FileDownload measures file download (issue #4: within 80% of the
// disk-to-socket rate): one stored file served two ways on loopback, to the
// same clients. Direct is a bare http.ServeFile of the stored file, with no
// checks and no record: the disk-to-socket rate of this machine. Gateway is
// the real route: a signed request verified, the link, grant and file
// checked, the watermarked copy served, the download recorded.
type FileDownload struct {
	Size    int64 // bytes of the file
	copyLen int64 // bytes of the watermarked copy
	gw      *httptest.Server
	bare    *httptest.Server
	link    string
	key     gateway.Issued
	now     func() time.Time
}

// NewFileDownload loads the demo province into s (a fresh store), keeps
// files in dir, and prepares a download: 浙江省市场监督管理局 uploads a CSV of
// size bytes to its entry 市场监管行政处罚信息, 浙江省公安厅 holds a
// file-download grant of it and a system with a key and a link.
func NewFileDownload(ctx context.Context, s *store.Store, dir string, size int64) (*FileDownload, error) {
	a := app.New(s, demo.ReferenceClock, auth.DefaultPolicy)
	p, err := demo.Load(ctx, a)
	if err != nil {
		return nil, err
	}
	master := make([]byte, 32)
	if _, err := rand.Read(master); err != nil {
		return nil, err
	}
	keys, err := gateway.NewKeyring(master)
	if err != nil {
		return nil, err
	}
	a.Gateway.UseKeyring(keys)
	if err := a.Files.Configure(files.Config{Dir: dir, MaxBytes: size + 1}); err != nil {
		return nil, err
	}
	as := func(username string) (access.Actor, error) {
		var ac *access.Actor
		id := p.Account(username).ID
		err := s.Read(ctx, func(tx *store.Tx) (err error) { ac, err = tx.Actor(ctx, id); return err })
		if err == nil && ac == nil {
			err = fmt.Errorf("no actor %s", username)
		}
		if err != nil {
			return access.Actor{}, fmt.Errorf("bench: actor %s: %w", username, err)
		}
		return *ac, nil
	}
	var who = map[string]access.Actor{}
	for _, u := range []string{"gat.staff", "gat.head", "scjg.staff", "scjg.head"} {
		if who[u], err = as(u); err != nil {
			return nil, err
		}
	}
	entry := p.Entries["市场监管行政处罚信息"]
	const purpose = "信用联合惩戒"
	ap, err := a.Applications.Create(ctx, who["gat.staff"], application.NewApplication{EntryID: entry,
		Items: []string{"处罚决定书文号", "当事人名称", "处罚日期"}, LegalBasis: "《行政处罚法》第四十八条", Scenario: purpose,
		Scope: "执法办案", DeliveryMethod: application.FileDownload, TimeLimit: application.TimeLimit{Months: 12}})
	if err != nil {
		return nil, err
	}
	if ap, err = a.Applications.Approve(ctx, who["gat.head"], ap.ID, application.Command{Version: ap.Version}); err != nil {
		return nil, err
	}
	if ap, err = a.Applications.Reply(ctx, who["scjg.head"], ap.ID, application.ReplyRequest{Decision: application.Approve, Version: ap.Version}); err != nil {
		return nil, err
	}
	if ap.Reply == nil || ap.Reply.Grant == nil {
		return nil, fmt.Errorf("bench: the approval made no grant")
	}
	f, err := a.Files.Upload(ctx, who["scjg.staff"], entry, files.Upload{Name: "处罚信息.csv", Length: size}, &csvBody{n: size})
	if err != nil {
		return nil, err
	}
	sys, err := a.Gateway.Register(ctx, who["gat.staff"], gateway.NewSystem{Name: "基准下载系统"})
	if err != nil {
		return nil, err
	}
	key, err := a.Gateway.IssueCredential(ctx, who["gat.staff"], sys.ID)
	if err != nil {
		return nil, err
	}
	caller := gateway.Caller{SystemID: sys.ID, DepartmentID: sys.DepartmentID, DivisionCode: sys.DivisionCode}
	l, _, err := a.Files.RequestLink(ctx, caller, f.ID, files.LinkRequest{GrantID: ap.Reply.Grant.ID, Purpose: purpose})
	if err != nil {
		return nil, err
	}
	d, err := a.Files.Open(ctx, caller, l.ID)
	if err != nil {
		return nil, err
	}
	copyLen := d.Copy.Size()
	d.Close()
	stored := filepath.Join(dir, f.ID)
	fd := &FileDownload{Size: size, copyLen: copyLen, link: "/gateway/v1/downloads/" + l.ID, key: key, now: a.Now,
		gw:   httptest.NewServer(httpapi.New(a, httpapi.Options{}).Handler()),
		bare: httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { http.ServeFile(w, r, stored) }))}
	return fd, nil
}

// Close stops both servers.
func (f *FileDownload) Close() {
	f.gw.Close()
	f.bare.Close()
}

// Direct downloads the stored file once from the bare server.
func (f *FileDownload) Direct(c *http.Client) error {
	req, _ := http.NewRequest(http.MethodGet, f.bare.URL+"/", nil)
	return fetch(c, req, f.Size)
}

// Gateway downloads the watermarked copy once through the gateway.
func (f *FileDownload) Gateway(c *http.Client) error {
	req, _ := http.NewRequest(http.MethodGet, f.gw.URL+f.link, nil)
	gateway.Sign(req, f.key.KeyID, f.key.Secret, nil, f.now(), gateway.NewNonce())
	return fetch(c, req, f.copyLen)
}

func fetch(c *http.Client, req *http.Request, want int64) error {
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	n, err := io.Copy(io.Discard, resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK || n != want {
		return fmt.Errorf("download %s: status %d, %d of %d bytes", req.URL.Path, resp.StatusCode, n, want)
	}
	return nil
}

// FileRates is a file-download measurement: both ways, by the same
// clients, for the same time.
type FileRates struct {
	Direct, Gateway Result
	Size            int64
}

// MeasureFileDownload runs Direct and Gateway from workers clients for d
// each, in alternating rounds, so that a change of load on the machine
// weighs on both alike.
func MeasureFileDownload(ctx context.Context, f *FileDownload, d time.Duration, workers int) (FileRates, error) {
	const rounds = 4
	fr := FileRates{Size: f.Size, Direct: Result{Name: "file download, bare http.ServeFile"}, Gateway: Result{Name: "file download, gateway"}}
	for range rounds {
		for _, m := range []struct {
			into *Result
			op   func(*http.Client) error
		}{{&fr.Direct, f.Direct}, {&fr.Gateway, f.Gateway}} {
			r, err := Throughput(ctx, m.into.Name, d/rounds, workers, m.op)
			if err != nil {
				return FileRates{}, err
			}
			m.into.Ops += r.Ops
			m.into.Elapsed += r.Elapsed
		}
	}
	return fr, nil
}

// MBps is the rate of r in MiB of the file per second.
func (fr FileRates) MBps(r Result) float64 {
	return float64(r.Ops) * float64(fr.Size) / (1 << 20) / r.Elapsed.Seconds()
}

// Ratio is the gateway's rate over the bare server's.
func (fr FileRates) Ratio() float64 { return fr.MBps(fr.Gateway) / fr.MBps(fr.Direct) }

func (fr FileRates) String() string {
	return fmt.Sprintf("%-40s %6d downloads  %9.1f MiB/s\n%-40s %6d downloads  %9.1f MiB/s\n%-40s %9.0f%% (target: at least 80%%)",
		fr.Direct.Name, fr.Direct.Ops, fr.MBps(fr.Direct), fr.Gateway.Name, fr.Gateway.Ops, fr.MBps(fr.Gateway),
		"gateway / bare", 100*fr.Ratio())
}

// csvBody is a generated CSV of n bytes, produced as it is read.
type csvBody struct{ n, off int64 }

const csvLine = "浙市监罚〔2026〕000001号,91330000000000000X,某某贸易有限公司,虚假宣传,罚款五万元,2026-06-15\n"

func (c *csvBody) Read(p []byte) (int, error) {
	if c.off >= c.n {
		return 0, io.EOF
	}
	k := min(int64(len(p)), c.n-c.off)
	for i := int64(0); i < k; {
		pos := (c.off + i) % int64(len(csvLine))
		m := int64(copy(p[i:k], csvLine[pos:]))
		i += m
	}
	c.off += k
	return int(k), nil
}
