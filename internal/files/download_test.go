package files_test

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/govshare/govshare/internal/application"
	"github.com/govshare/govshare/internal/files"
	"github.com/govshare/govshare/internal/grant"
	"github.com/govshare/govshare/internal/store"
	"github.com/govshare/govshare/internal/storetest"
)

const purpose = "信用联合惩戒"

// TestDownload: gat's system asks for a link under its file-download grant,
// downloads a marked copy through it, and the download is recorded with its
// bytes; the first complete download closes scjg's delivery obligation,
// once.
func TestDownload(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		ctx := context.Background()
		body := "处罚决定书文号,当事人名称\n浙市监罚〔2026〕1号,某公司\n"
		f, err := e.app.Files.Upload(ctx, e.as("scjg.staff"), e.entry, files.Upload{Name: "处罚.csv", Length: -1}, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		listed, err := e.app.Files.GrantFiles(ctx, e.sys, e.grant.ID)
		if err != nil || len(listed) != 1 || listed[0].ID != f.ID {
			t.Fatalf("grant files %+v, %v", listed, err)
		}
		e.wantLast(files.ActionList, rec{SystemID: e.sys.SystemID, DepartmentID: e.sys.DepartmentID, GrantID: e.grant.ID, Outcome: "ok"})

		l, _, err := e.app.Files.RequestLink(ctx, e.sys, f.ID, files.LinkRequest{GrantID: e.grant.ID, Purpose: purpose})
		if err != nil {
			t.Fatal(err)
		}
		if !l.ExpiresAt.Equal(e.clock.Now().Add(files.DefaultLinkTTL)) || l.SystemID != e.sys.SystemID || l.GrantID != e.grant.ID {
			t.Fatalf("link %+v", l)
		}
		base := rec{SystemID: e.sys.SystemID, DepartmentID: e.sys.DepartmentID, GrantID: e.grant.ID, Purpose: purpose, FileID: f.ID, LinkID: l.ID}
		want := base
		want.Outcome = "ok"
		e.wantLast(files.ActionLink, want)

		d, err := e.app.Files.Open(ctx, e.sys, l.ID)
		if err != nil {
			t.Fatal(err)
		}
		// Recorded before a byte goes out: a crash mid-transfer still
		// leaves the download in the record.
		want.Outcome = "started"
		e.wantLast(files.ActionDownloadStart, want)
		got, err := io.ReadAll(d.Copy)
		d.Close()
		if err != nil || !strings.HasPrefix(string(got), body) || !strings.Contains(string(got), "link="+l.ID) ||
			!strings.Contains(string(got), "浙江省公安厅") || !strings.Contains(string(got), "grant="+e.grant.ID) {
			t.Fatalf("copy %q, %v", got, err)
		}
		// An interrupted download is recorded and delivers nothing yet.
		if err := e.app.Files.Finish(ctx, d, files.Transfer{Bytes: 10, ToEnd: false}); err != nil {
			t.Fatal(err)
		}
		want.Bytes, want.Outcome = 10, files.OutcomeInterrupted
		e.wantLast(files.ActionDownload, want)
		if ap := e.application(); ap.Delivered != nil {
			t.Fatalf("delivered after an interrupted download: %+v", ap.Delivered)
		}
		// The resumed rest completes it.
		if err := e.app.Files.Finish(ctx, d, files.Transfer{Bytes: int64(len(got)) - 10, Complete: true, ToEnd: true}); err != nil {
			t.Fatal(err)
		}
		want.Bytes, want.Outcome = int64(len(got))-10, "ok"
		e.wantLast(files.ActionDownload, want)
		ap := e.application()
		if ap.Delivered == nil || ap.Delivered.Method != application.FileDownload || !ap.Delivered.At.Equal(e.clock.Now()) {
			t.Fatalf("delivered %+v", ap.Delivered)
		}
		e.clock.Add(time.Minute)
		if err := e.app.Files.Finish(ctx, d, files.Transfer{Bytes: int64(len(got)), Complete: true, ToEnd: true}); err != nil {
			t.Fatal(err)
		}
		if again := e.application(); !again.Delivered.At.Equal(ap.Delivered.At) || len(e.events(application.ActionDeliver)) != 1 {
			t.Fatalf("a second download delivered again: %+v", again.Delivered)
		}
	})
}

func (e *env) application() application.Application {
	e.t.Helper()
	ap, err := e.app.Applications.Get(context.Background(), e.as("scjg.head"), e.grant.ApplicationID)
	if err != nil {
		e.t.Fatal(err)
	}
	return ap
}

// TestDownloadRefusals: every refusal of a link or a download has its code
// and is recorded: another system's link, an expired link, a grant
// suspended since the link was issued, another purpose, a grant by another
// method, a file of another entry, a deleted file.
func TestDownloadRefusals(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		ctx := context.Background()
		f, err := e.app.Files.Upload(ctx, e.as("scjg.staff"), e.entry, files.Upload{Name: "a.txt", Length: -1}, strings.NewReader("x\n"))
		if err != nil {
			t.Fatal(err)
		}
		link := func() files.Link {
			t.Helper()
			l, _, err := e.app.Files.RequestLink(ctx, e.sys, f.ID, files.LinkRequest{GrantID: e.grant.ID, Purpose: purpose})
			if err != nil {
				t.Fatal(err)
			}
			return l
		}
		refusedOpen := func(name string, sys, linkID, want string) {
			t.Helper()
			c := e.sys
			if sys != "" {
				c = e.system(sys, "另一系统 "+name)
			}
			if _, err := e.app.Files.Open(ctx, c, linkID); code(err) != want {
				t.Errorf("%s: %v, want %s", name, err, want)
				return
			}
			evs := e.events(files.ActionDownload)
			if len(evs) == 0 || evs[len(evs)-1].ActorID != c.SystemID {
				t.Errorf("%s: refusal not recorded", name)
			}
		}

		refusedOpen("unknown link", "", "no-such-link", "files.link_not_found")
		l := link()
		refusedOpen("another system of the consumer", "gat.head", l.ID, "files.link_not_yours")
		refusedOpen("a system of another department", "hzga.staff", l.ID, "files.link_not_yours")
		l2 := link()
		e.clock.Add(files.DefaultLinkTTL)
		refusedOpen("expired link", "", l2.ID, "files.link_expired")

		l3 := link()
		g, err := e.app.Grants.Suspend(ctx, e.as("scjg.head"), e.grant.ID, grant.SuspendInput{Grounds: grant.OtherGrounds, Reasons: []string{"核查"}, Evidence: "核查记录", RectifyDays: 10, Version: e.grant.Version})
		if err != nil {
			t.Fatal(err)
		}
		refusedOpen("grant suspended since the link", "", l3.ID, "grant.suspended")
		if _, _, err := e.app.Files.RequestLink(ctx, e.sys, f.ID, files.LinkRequest{GrantID: e.grant.ID, Purpose: purpose}); code(err) != "grant.suspended" {
			t.Errorf("link under a suspended grant: %v", err)
		}
		if _, err := e.app.Grants.Resume(ctx, e.as("scjg.head"), e.grant.ID, grant.ChangeInput{Reasons: []string{"核查完毕"}, Version: g.Version}); err != nil {
			t.Fatal(err)
		}
		if d, err := e.app.Files.Open(ctx, e.sys, l3.ID); err != nil {
			t.Fatalf("after resuming: %v", err)
		} else {
			d.Close()
		}

		before := len(e.events(files.ActionLink))
		refusedLink := func(name string, fileID string, r files.LinkRequest, want string) {
			t.Helper()
			if _, _, err := e.app.Files.RequestLink(ctx, e.sys, fileID, r); code(err) != want {
				t.Errorf("%s: %v, want %s", name, err, want)
			}
		}
		refusedLink("another purpose", f.ID, files.LinkRequest{GrantID: e.grant.ID, Purpose: "招商引资"}, "grant.purpose_mismatch")
		refusedLink("unknown grant", f.ID, files.LinkRequest{GrantID: "nope", Purpose: purpose}, "grant.not_found")
		refusedLink("unknown file", "nope", files.LinkRequest{GrantID: e.grant.ID, Purpose: purpose}, "files.not_found")
		if _, _, err := e.app.Files.RequestLink(ctx, e.system("hzga.staff", "杭州系统"), f.ID, files.LinkRequest{GrantID: e.grant.ID, Purpose: purpose}); code(err) != "gateway.not_consumer" {
			t.Errorf("another department's system: %v", err)
		}
		// 医疗机构执业许可信息 (wjw) offers both methods: gat's grant of it by
		// service interface gives no file, and gat's file-download grant of
		// scjg's entry gives none of wjw's files.
		other := e.newGrant("gat", "医疗机构执业许可信息", []string{"登记号", "机构名称"}, application.ServiceInterface, "wjw.head")
		wf, err := e.app.Files.Upload(ctx, e.as("wjw.head"), other.EntryID, files.Upload{Name: "b.txt", Length: -1}, strings.NewReader("y\n"))
		if err != nil {
			t.Fatal(err)
		}
		refusedLink("grant by another method", wf.ID, files.LinkRequest{GrantID: other.ID, Purpose: purpose}, "files.method_not_granted")
		refusedLink("file of another entry", wf.ID, files.LinkRequest{GrantID: e.grant.ID, Purpose: purpose}, "files.not_of_grant")
		if _, err := e.app.Files.Delete(ctx, e.as("scjg.staff"), f.ID); err != nil {
			t.Fatal(err)
		}
		refusedLink("deleted file", f.ID, files.LinkRequest{GrantID: e.grant.ID, Purpose: purpose}, "files.not_found")
		refusedOpen("deleted file through an earlier link", "", l3.ID, "files.not_found")
		if n := len(e.events(files.ActionLink)) - before; n != 7 {
			t.Errorf("%d link refusals recorded, want 7", n)
		}
		e.wantLast(files.ActionLink, rec{SystemID: e.sys.SystemID, DepartmentID: e.sys.DepartmentID, GrantID: e.grant.ID, Purpose: purpose,
			FileID: f.ID, Outcome: "files.not_found"})
		if ap := e.application(); ap.Delivered != nil {
			t.Errorf("refusals delivered: %+v", ap.Delivered)
		}
	})
}
