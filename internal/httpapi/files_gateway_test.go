package httpapi_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/govshare/govshare/internal/application"
	"github.com/govshare/govshare/internal/files"
	"github.com/govshare/govshare/internal/gateway"
	"github.com/govshare/govshare/internal/grant"
	"github.com/govshare/govshare/internal/ledger"
	"github.com/govshare/govshare/internal/store"
	"github.com/govshare/govshare/internal/storetest"
)

// fileFixture: scjg (浙江省市场监督管理局) provides 市场监管行政处罚信息 by file
// download and has uploaded an xlsx; gat (浙江省公安厅) holds a grant of it
// and a system with a key.
type fileFixture struct {
	e     *env
	grant grant.Grant
	sys   gateway.System
	key   gateway.Issued
	file  files.File
	xlsx  []byte
}

const filePurpose = "信用联合惩戒"

func fileGatewaySetup(t *testing.T, s *store.Store) *fileFixture {
	t.Helper()
	f := fileGrant(newEnv(t, s))
	f.sys, f.key = f.e.gwSystem("gat.staff")
	return f
}

// fileGrant gives gat a file-download grant of scjg's entry with one xlsx
// uploaded, on e (configuring its files directory when it has none).
func fileGrant(e *env) *fileFixture {
	t := e.t
	t.Helper()
	if _, ok := e.app.Files.Config(); !ok {
		if err := e.app.Files.Configure(files.Config{Dir: t.TempDir()}); err != nil {
			t.Fatal(err)
		}
	}
	ctx := context.Background()
	entry := e.p.Entries["市场监管行政处罚信息"]
	ap, err := e.app.Applications.Create(ctx, e.as("gat.staff"), application.NewApplication{EntryID: entry,
		Items: []string{"处罚决定书文号", "当事人名称"}, LegalBasis: "《行政处罚法》第四十八条", Scenario: filePurpose,
		Scope: "执法办案", DeliveryMethod: application.FileDownload, TimeLimit: application.TimeLimit{Months: 6}})
	if err != nil {
		t.Fatal(err)
	}
	if ap, err = e.app.Applications.Approve(ctx, e.as("gat.head"), ap.ID, application.Command{Version: ap.Version}); err != nil {
		t.Fatal(err)
	}
	if ap, err = e.app.Applications.Reply(ctx, e.as("scjg.head"), ap.ID, application.ReplyRequest{Decision: application.Approve, Version: ap.Version}); err != nil {
		t.Fatal(err)
	}
	g, err := e.app.Grants.Get(ctx, e.as("scjg.head"), ap.Reply.Grant.ID)
	if err != nil {
		t.Fatal(err)
	}
	x := excelize.NewFile()
	x.SetCellValue("Sheet1", "A1", "处罚决定书文号")
	x.SetCellValue("Sheet1", "A2", "浙市监罚〔2026〕1号")
	var buf bytes.Buffer
	if err := x.Write(&buf); err != nil {
		t.Fatal(err)
	}
	x.Close()
	f, err := e.app.Files.Upload(ctx, e.as("scjg.staff"), entry, files.Upload{Name: "处罚信息.xlsx", Length: int64(buf.Len())}, bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	return &fileFixture{e: e, grant: g, file: f, xlsx: buf.Bytes()}
}

// signed sends a signed request with key; body nil for a GET.
func (f *fileFixture) signed(key gateway.Issued, method, path string, body any, header map[string]string) response {
	f.e.t.Helper()
	var b []byte
	if body != nil {
		b, _ = json.Marshal(body)
	}
	req, err := http.NewRequest(method, f.e.srv.URL+path, bytes.NewReader(b))
	if err != nil {
		f.e.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	gateway.Sign(req, key.KeyID, key.Secret, b, f.e.clock.Now(), gateway.NewNonce())
	return f.e.send(req)
}

func (f *fileFixture) link(key gateway.Issued) (response, string) {
	f.e.t.Helper()
	res := f.signed(key, "POST", "/gateway/v1/files/"+f.file.ID+"/links", map[string]string{"grant_id": f.grant.ID, "purpose": filePurpose}, nil)
	var l struct {
		LinkID string `json:"link_id"`
		URL    string `json:"url"`
	}
	if res.status == http.StatusCreated {
		res.json(f.e.t, &l)
	}
	return res, l.URL
}

func (f *fileFixture) lastEvent(action string) ledger.Event {
	f.e.t.Helper()
	var evs []ledger.Event
	err := f.e.app.Store.Read(context.Background(), func(tx *store.Tx) (err error) {
		evs, err = tx.ListEvents(context.Background(), ledger.Filter{Action: action, Limit: 1000})
		return err
	})
	if err != nil || len(evs) == 0 {
		f.e.t.Fatalf("no %s event: %v", action, err)
	}
	return evs[len(evs)-1]
}

// fileRec mirrors the record the files service digests.
type fileRec struct {
	SystemID     string `json:"system_id"`
	DepartmentID string `json:"department_id"`
	GrantID      string `json:"grant_id"`
	Purpose      string `json:"purpose"`
	FileID       string `json:"file_id"`
	LinkID       string `json:"link_id"`
	Bytes        int64  `json:"bytes"`
	Outcome      string `json:"outcome"`
}

// TestFileDownloadGateway: gat's system lists the grant's files, asks for a
// link and downloads an xlsx copy whose ZIP comment names gat, the grant
// and the link while every byte before the end record is the original's;
// the copy opens as a workbook; the download closes scjg's delivery
// obligation and is recorded with its bytes.
func TestFileDownloadGateway(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := fileGatewaySetup(t, s)
		e := f.e
		list := f.signed(f.key, "GET", "/gateway/v1/files?grant_id="+f.grant.ID, nil, nil)
		var listed struct {
			Items []struct{ ID, Name, Watermark string }
		}
		list.json(t, &listed)
		if list.status != http.StatusOK || len(listed.Items) != 1 || listed.Items[0].ID != f.file.ID || listed.Items[0].Watermark != "zip_comment" {
			t.Fatalf("list: %d %s", list.status, list.body)
		}
		res, url := f.link(f.key)
		if res.status != http.StatusCreated || url == "" || res.header.Get("Location") != url {
			t.Fatalf("link: %d %s", res.status, res.body)
		}
		linkID := strings.TrimPrefix(url, "/gateway/v1/downloads/")

		dl := f.signed(f.key, "GET", url, nil, nil)
		if dl.status != http.StatusOK {
			t.Fatalf("download: %d %s", dl.status, dl.body)
		}
		if !strings.Contains(dl.header.Get(files.HeaderWatermark), "link="+linkID) || dl.header.Get("ETag") == "" ||
			!strings.Contains(dl.header.Get("Content-Disposition"), "attachment") {
			t.Fatalf("headers %v", dl.header)
		}
		orig, copy := f.xlsx, dl.body
		keep := len(orig) - 22 // excelize writes no comment: the end record is the last 22 bytes
		if binary.LittleEndian.Uint32(orig[keep:]) != 0x06054b50 {
			t.Fatal("fixture: the end record is not where expected")
		}
		if !bytes.Equal(copy[:keep+20], orig[:keep+20]) {
			t.Fatal("the copy differs from the original before the ZIP comment")
		}
		zr, err := zip.NewReader(bytes.NewReader(copy), int64(len(copy)))
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"浙江省公安厅", f.grant.ConsumerID, "grant=" + f.grant.ID, "link=" + linkID, "system=" + f.sys.ID} {
			if !strings.Contains(zr.Comment, want) {
				t.Errorf("ZIP comment %q lacks %q", zr.Comment, want)
			}
		}
		x, err := excelize.OpenReader(bytes.NewReader(copy))
		if err != nil {
			t.Fatal(err)
		}
		if v, _ := x.GetCellValue("Sheet1", "A2"); v != "浙市监罚〔2026〕1号" {
			t.Errorf("cell A2 of the copy: %q", v)
		}
		x.Close()

		want := fileRec{SystemID: f.sys.ID, DepartmentID: f.grant.ConsumerID, GrantID: f.grant.ID, Purpose: filePurpose, FileID: f.file.ID,
			LinkID: linkID, Bytes: int64(len(copy)), Outcome: "ok"}
		if d, _ := ledger.Digest(want); f.lastEvent(files.ActionDownload).Digest != d {
			t.Errorf("download event does not digest %+v", want)
		}
		ap, err := e.app.Applications.Get(context.Background(), e.as("scjg.head"), f.grant.ApplicationID)
		if err != nil || ap.Delivered == nil || ap.Delivered.Method != application.FileDownload {
			t.Fatalf("delivered %+v, %v", ap.Delivered, err)
		}

		// A broken download resumes: the rest, asked for with If-Range on
		// the copy's ETag, completes the same bytes.
		etag := dl.header.Get("ETag")
		head := f.signed(f.key, "GET", url, nil, map[string]string{"Range": "bytes=0-99"})
		rest := f.signed(f.key, "GET", url, nil, map[string]string{"Range": "bytes=100-", "If-Range": etag})
		if head.status != http.StatusPartialContent || rest.status != http.StatusPartialContent ||
			!bytes.Equal(append(head.body, rest.body...), copy) {
			t.Fatalf("ranges: %d (%d bytes), %d (%d bytes)", head.status, len(head.body), rest.status, len(rest.body))
		}
		want.Bytes = int64(len(rest.body))
		if d, _ := ledger.Digest(want); f.lastEvent(files.ActionDownload).Digest != d {
			t.Errorf("range event does not digest %+v", want)
		}
		// An If-Range of another copy gets the whole of this one.
		if r := f.signed(f.key, "GET", url, nil, map[string]string{"Range": "bytes=100-", "If-Range": `"other"`}); r.status != http.StatusOK || !bytes.Equal(r.body, copy) {
			t.Fatalf("stale If-Range: %d", r.status)
		}
		bad := f.signed(f.key, "GET", url, nil, map[string]string{"Range": "bytes=999999999-"})
		if bad.status != http.StatusRequestedRangeNotSatisfiable || bad.problem(t).Code != files.OutcomeRangeInvalid {
			t.Fatalf("bad range: %d %s", bad.status, bad.body)
		}
		want.Bytes, want.Outcome = 0, files.OutcomeRangeInvalid
		if d, _ := ledger.Digest(want); f.lastEvent(files.ActionDownload).Digest != d {
			t.Errorf("refused range event does not digest %+v", want)
		}
	})
}

// TestFileDownloadRefusals over HTTP: another system's link, an expired
// link and a grant suspended since the link was issued are refused with
// their problems and recorded; an unsigned download is refused outright.
func TestFileDownloadRefusals(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := fileGatewaySetup(t, s)
		e := f.e
		_, url := f.link(f.key)
		linkID := strings.TrimPrefix(url, "/gateway/v1/downloads/")
		_, otherKey := e.gwSystem("gat.head")
		refused := func(name string, key gateway.Issued, status int, code string) {
			t.Helper()
			r := f.signed(key, "GET", url, nil, nil)
			if r.status != status || r.problem(t).Code != code {
				t.Fatalf("%s: %d %s, want %d %s", name, r.status, r.body, status, code)
			}
			ev := f.lastEvent(files.ActionDownload)
			if ev.ActorID != key.SystemID {
				t.Fatalf("%s: last event %+v is not the refusal", name, ev)
			}
		}
		refused("another system of the consumer", otherKey, http.StatusForbidden, "files.link_not_yours")
		if d, _ := ledger.Digest(fileRec{SystemID: otherKey.SystemID, DepartmentID: f.grant.ConsumerID, GrantID: f.grant.ID, Purpose: filePurpose,
			FileID: f.file.ID, LinkID: linkID, Outcome: "files.link_not_yours"}); f.lastEvent(files.ActionDownload).Digest != d {
			t.Error("the refusal's record does not name the link's grant and file")
		}

		if _, err := e.app.Grants.Suspend(context.Background(), e.as("scjg.head"), f.grant.ID, grant.SuspendInput{Grounds: grant.OtherGrounds, Reasons: []string{"核查"}, Evidence: "核查记录", RectifyDays: 10, Version: f.grant.Version}); err != nil {
			t.Fatal(err)
		}
		refused("grant suspended since the link", f.key, http.StatusForbidden, "grant.suspended")
		if r, _ := f.link(f.key); r.status != http.StatusForbidden || r.problem(t).Code != "grant.suspended" {
			t.Fatalf("link under a suspended grant: %d %s", r.status, r.body)
		}

		e.clock.Add(files.DefaultLinkTTL)
		refused("expired link", f.key, http.StatusForbidden, "files.link_expired")

		req, _ := http.NewRequest("GET", e.srv.URL+url, nil)
		if r := e.send(req); r.status != http.StatusUnauthorized {
			t.Fatalf("unsigned: %d %s", r.status, r.body)
		}
		bad := f.signed(f.key, "POST", "/gateway/v1/files/"+f.file.ID+"/links", map[string]any{"grant_id": f.grant.ID, "purpose": filePurpose, "x": 1}, nil)
		if bad.status != http.StatusBadRequest || bad.problem(t).Code != "request.unknown_field" {
			t.Fatalf("malformed link request: %d %s", bad.status, bad.body)
		}
		if ev := f.lastEvent(files.ActionLink); ev.ActorID != f.sys.ID {
			t.Fatalf("malformed link request not recorded: %+v", ev)
		}
		ap, err := e.app.Applications.Get(context.Background(), e.as("scjg.head"), f.grant.ApplicationID)
		if err != nil || ap.Delivered != nil {
			t.Fatalf("refusals delivered: %+v, %v", ap.Delivered, err)
		}
	})
}
