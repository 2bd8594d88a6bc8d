package httpapi_test

import (
	"archive/zip"
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/govshare/govshare/internal/application"
	"github.com/govshare/govshare/internal/files"
	"github.com/govshare/govshare/internal/grant"
	"github.com/govshare/govshare/internal/ledger"
	"github.com/govshare/govshare/internal/store"
	"github.com/govshare/govshare/internal/storetest"
)

// personRec mirrors the record of a person's taking of a file.
type personRec struct {
	PersonID     string `json:"person_id"`
	DepartmentID string `json:"department_id"`
	GrantID      string `json:"grant_id"`
	Purpose      string `json:"purpose"`
	FileID       string `json:"file_id"`
	LinkID       string `json:"link_id"`
	Bytes        int64  `json:"bytes"`
	Outcome      string `json:"outcome"`
}

// officeLink asks, as username, for a link of the fixture's file.
func (f *fileFixture) officeLink(username, purpose string) (response, string) {
	f.e.t.Helper()
	res := f.e.do(username, "POST", "/api/v1/grants/"+f.grant.ID+"/files/"+f.file.ID+"/links", map[string]string{"purpose": purpose})
	var l struct{ URL string }
	if res.status == http.StatusCreated {
		res.json(f.e.t, &l)
	}
	return res, l.URL
}

// TestOfficeDownload: a person of gat's sharing office (the consumer) lists
// the grant's files in the console's API, asks for a link of its own and
// downloads an xlsx copy whose ZIP comment names the person (name and id)
// and not a system; each act is recorded with the person as actor, and the
// download closes scjg's delivery obligation as a system's would.
func TestOfficeDownload(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := fileGatewaySetup(t, s)
		e := f.e
		staff := e.p.Account("gat.staff")

		list := e.do("gat.staff", "GET", "/api/v1/grants/"+f.grant.ID+"/files", nil)
		var listed struct{ Items []struct{ ID, Name string } }
		list.json(t, &listed)
		if list.status != http.StatusOK || len(listed.Items) != 1 || listed.Items[0].ID != f.file.ID || listed.Items[0].Name != "处罚信息.xlsx" {
			t.Fatalf("list: %d %s", list.status, list.body)
		}

		res, url := f.officeLink("gat.staff", filePurpose)
		if res.status != http.StatusCreated || !strings.HasPrefix(url, "/api/v1/downloads/") || res.header.Get("Location") != url {
			t.Fatalf("link: %d %s", res.status, res.body)
		}
		linkID := strings.TrimPrefix(url, "/api/v1/downloads/")
		want := personRec{PersonID: staff.ID, DepartmentID: f.grant.ConsumerID, GrantID: f.grant.ID, Purpose: filePurpose, FileID: f.file.ID,
			LinkID: linkID, Outcome: "ok"}
		if ev := f.lastEvent(files.ActionPersonLink); ev.ActorID != staff.ID || ev.Digest != digest(t, want) {
			t.Errorf("link event %+v does not record %+v", ev, want)
		}

		dl := e.do("gat.staff", "GET", url, nil)
		if dl.status != http.StatusOK || !strings.Contains(dl.header.Get("Content-Disposition"), "attachment") {
			t.Fatalf("download: %d %s", dl.status, dl.body)
		}
		if h := dl.header.Get(files.HeaderWatermark); !strings.Contains(h, "person_id="+staff.ID) || strings.Contains(h, "system=") {
			t.Errorf("watermark header %q", h)
		}
		zr, err := zip.NewReader(bytes.NewReader(dl.body), int64(len(dl.body)))
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range []string{"浙江省公安厅", "person=" + staff.Name, "person_id=" + staff.ID, "link=" + linkID, "grant=" + f.grant.ID} {
			if !strings.Contains(zr.Comment, w) {
				t.Errorf("ZIP comment %q lacks %q", zr.Comment, w)
			}
		}
		if strings.Contains(zr.Comment, "system=") {
			t.Errorf("ZIP comment %q names a system", zr.Comment)
		}
		if !bytes.Equal(dl.body[:len(f.xlsx)-2], f.xlsx[:len(f.xlsx)-2]) {
			t.Error("the copy differs from the original before the ZIP comment")
		}
		want.Bytes = int64(len(dl.body))
		if ev := f.lastEvent(files.ActionPersonDownload); ev.ActorID != staff.ID || ev.Digest != digest(t, want) {
			t.Errorf("download event %+v does not record %+v", ev, want)
		}
		if ev := f.lastEvent(files.ActionPersonDownloadStart); ev.ActorID != staff.ID {
			t.Errorf("no download start by the person: %+v", ev)
		}
		ap, err := e.app.Applications.Get(context.Background(), e.as("scjg.head"), f.grant.ApplicationID)
		if err != nil || ap.Delivered == nil || ap.Delivered.Method != application.FileDownload {
			t.Fatalf("delivered %+v, %v", ap.Delivered, err)
		}

		// A resumed download continues the same copy.
		head := e.do("gat.staff", "GET", url, nil)
		if !bytes.Equal(head.body, dl.body) {
			t.Error("a second download through the same link is another copy")
		}
	})
}

// TestOfficeDownloadRefusals: the link is the person's own; the provider's
// office and systems cannot use the console route; someone who cannot see
// the grant is told it does not exist (refusals by role or organisation, as
// on every route, write nothing); a wrong purpose, a suspended grant and an
// expired link are refused and recorded; nothing is delivered.
func TestOfficeDownloadRefusals(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := fileGatewaySetup(t, s)
		e := f.e
		_, url := f.officeLink("gat.staff", filePurpose)
		linkID := strings.TrimPrefix(url, "/api/v1/downloads/")
		refused := func(name string, r response, status int, code, field string) {
			t.Helper()
			if r.status != status {
				t.Fatalf("%s: %d %s, want %d %s", name, r.status, r.body, status, code)
			}
			if p := r.problem(t); p.Code != code || p.Field != field {
				t.Fatalf("%s: %s, want %s (%s)", name, r.body, code, field)
			}
		}
		e.token("gat.head") // signing in is recorded: before counting
		before := e.eventCount()
		refused("another person of the office", e.do("gat.head", "GET", url, nil), http.StatusForbidden, "auth.forbidden", "")
		if e.eventCount() != before {
			t.Error("a refusal by role or organisation wrote an event")
		}
		refused("the provider's office lists", e.do("scjg.staff", "GET", "/api/v1/grants/"+f.grant.ID+"/files", nil),
			http.StatusForbidden, "auth.forbidden", "")
		res, _ := f.officeLink("scjg.staff", filePurpose)
		refused("the provider's office asks for a link", res, http.StatusForbidden, "auth.forbidden", "")
		refused("a department that cannot see the grant", e.do("hzga.staff", "GET", "/api/v1/grants/"+f.grant.ID+"/files", nil),
			http.StatusNotFound, "grant.not_found", "")
		res, _ = f.officeLink("hzga.staff", filePurpose)
		refused("a link by a department that cannot see the grant", res, http.StatusNotFound, "grant.not_found", "")
		res, _ = f.officeLink("gat.staff", "另作他用")
		refused("another purpose", res, http.StatusForbidden, "grant.purpose_mismatch", "purpose")
		res = e.do("gat.staff", "POST", "/api/v1/grants/"+f.grant.ID+"/files/"+f.file.ID+"/links", map[string]any{"purpose": filePurpose, "x": 1})
		refused("an unknown field", res, http.StatusBadRequest, "request.unknown_field", "x")
		refused("a file that does not exist", func() response {
			r := e.do("gat.staff", "POST", "/api/v1/grants/"+f.grant.ID+"/files/nope/links", map[string]string{"purpose": filePurpose})
			return r
		}(), http.StatusNotFound, "files.not_found", "")
		refused("a system's key is no session", func() response {
			return f.signed(f.key, "GET", url, nil, nil)
		}(), http.StatusUnauthorized, "auth.unauthenticated", "")

		if _, err := e.app.Grants.Suspend(context.Background(), e.as("scjg.head"), f.grant.ID, grant.SuspendInput{Grounds: grant.OtherGrounds,
			Reasons: []string{"核查"}, Evidence: "核查记录", RectifyDays: 10, Version: f.grant.Version}); err != nil {
			t.Fatal(err)
		}
		refused("grant suspended since the link", e.do("gat.staff", "GET", url, nil), http.StatusForbidden, "grant.suspended", "")
		staff := e.p.Account("gat.staff")
		if ev := f.lastEvent(files.ActionPersonDownload); ev.ActorID != staff.ID ||
			ev.Digest != digest(t, personRec{PersonID: staff.ID, DepartmentID: f.grant.ConsumerID, GrantID: f.grant.ID, Purpose: filePurpose,
				FileID: f.file.ID, LinkID: linkID, Outcome: "grant.suspended"}) {
			t.Errorf("the refusal is not recorded against the link's grant: %+v", ev)
		}
		e.clock.Add(files.DefaultLinkTTL)
		refused("expired link", e.do("gat.staff", "GET", url, nil), http.StatusForbidden, "files.link_expired", "")
		ap, err := e.app.Applications.Get(context.Background(), e.as("scjg.head"), f.grant.ApplicationID)
		if err != nil || ap.Delivered != nil {
			t.Fatalf("refusals delivered: %+v, %v", ap.Delivered, err)
		}
	})
}

func digest(t *testing.T, v any) string {
	t.Helper()
	d, err := ledger.Digest(v)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
