package files

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/emmansun/gmsm/sm3"
	"github.com/google/uuid"

	"github.com/govshare/govshare/internal/application"
	"github.com/govshare/govshare/internal/gateway"
	"github.com/govshare/govshare/internal/grant"
	"github.com/govshare/govshare/internal/ledger"
	"github.com/govshare/govshare/internal/problem"
)

// LinkRequest asks for a download link of one file under a grant.
type LinkRequest struct {
	GrantID string `json:"grant_id"`
	Purpose string `json:"purpose"`
}

// record is what the ledger digests for one taking of files: who (a system,
// or a person of the consumer's sharing office), under which grant, for
// what, which file through which link, how many bytes went out and the
// outcome; never the file's content or name.
type record struct {
	SystemID     string `json:"system_id,omitempty"`
	PersonID     string `json:"person_id,omitempty"`
	DepartmentID string `json:"department_id"`
	GrantID      string `json:"grant_id"`
	Purpose      string `json:"purpose"`
	FileID       string `json:"file_id"`
	LinkID       string `json:"link_id"`
	Bytes        int64  `json:"bytes"`
	Outcome      string `json:"outcome"` // "ok" or the refusal's code
}

// usable checks that t may take files under g at now for purpose: its
// department is the consumer, it may use the grant (a bound system, a person
// of the consumer's sharing office), the grant delivers by file download,
// and the grant passes the delivery check (active, unexpired, the granted
// purpose). A file download delivers the file as the provider prepared it
// for the granted items, so every granted item counts as requested.
func usable(g *grant.Grant, t taker, now time.Time, purpose string) error {
	switch {
	case g == nil:
		return errGrantNotFound
	case g.ConsumerID != t.DepartmentID && t.PersonID != "":
		return problem.ErrForbidden
	case g.ConsumerID != t.DepartmentID:
		return errNotConsumer
	}
	if err := t.mayUse(g.ID, g.ConsumerID); err != nil {
		return err
	}
	if g.DeliveryMethod != application.FileDownload {
		return errMethodNotGranted
	}
	return grant.Check(*g, now, g.Items, purpose)
}

// GrantFiles lists the live files a grant delivers, for a system of its
// consumer. The call is recorded, refused or not.
func (s *Service) GrantFiles(ctx context.Context, c gateway.Caller, grantID string) ([]File, error) {
	now := s.now()
	t := systemTaker(c)
	var g *grant.Grant
	out, err := s.grantFiles(ctx, t, grantID, now, &g)
	rec := t.record(record{GrantID: grantID, Outcome: outcome(err)})
	if rerr := s.record(ctx, t, ActionList, grantObject(t, g, grantID), rec, now); rerr != nil {
		return nil, rerr
	}
	return out, err
}

// grantFiles lists the live files of grantID's entry when t may take them
// at now; *gp is the grant read, if any.
func (s *Service) grantFiles(ctx context.Context, t taker, grantID string, now time.Time, gp **grant.Grant) ([]File, error) {
	var out []File
	err := s.read(ctx, func(tx Tx) (err error) {
		g, err := tx.Grant(ctx, grantID)
		if err != nil {
			return err
		}
		*gp = g
		purpose := ""
		if g != nil {
			purpose = g.Purpose.Scenario // listing names uses no data: the state alone is checked
		}
		if err := usable(g, t, now, purpose); err != nil {
			return err
		}
		out, err = tx.ListSharedFiles(ctx, Filter{EntryID: g.EntryID, Limit: MaxList})
		return err
	})
	return out, err
}

// RequestLink gives a download link of file fileID under r.GrantID to the
// calling system, valid for the configured time. The link and its record
// are written in one transaction; a refusal is recorded in its own.
func (s *Service) RequestLink(ctx context.Context, c gateway.Caller, fileID string, r LinkRequest) (Link, File, error) {
	return s.requestLink(ctx, systemTaker(c), fileID, r)
}

// requestLink issues t a link of fileID under r.GrantID.
func (s *Service) requestLink(ctx context.Context, t taker, fileID string, r LinkRequest) (Link, File, error) {
	cfg, err := s.config()
	if err != nil {
		return Link{}, File{}, err
	}
	now := s.now().UTC()
	var (
		l Link
		f *File
		g *grant.Grant
	)
	err = s.write(ctx, func(tx Tx) (err error) {
		if g, err = tx.Grant(ctx, r.GrantID); err != nil {
			return err
		}
		if err := usable(g, t, now, r.Purpose); err != nil {
			return err
		}
		if f, err = tx.SharedFile(ctx, fileID); err != nil {
			return err
		}
		if f == nil || !f.Live() {
			return errNotFound
		}
		if f.EntryID != g.EntryID {
			return errNotOfGrant
		}
		l = Link{ID: uuid.Must(uuid.NewV7()).String(), FileID: f.ID, GrantID: g.ID, SystemID: t.SystemID, PersonID: t.PersonID,
			DepartmentID: t.DepartmentID, Purpose: r.Purpose, CreatedAt: now, ExpiresAt: now.Add(cfg.LinkTTL)}
		if err := tx.InsertFileLink(ctx, l); err != nil {
			return err
		}
		rec := t.record(record{GrantID: g.ID, Purpose: r.Purpose, FileID: f.ID, LinkID: l.ID, Outcome: "ok"})
		return ledger.Record(ctx, tx, now, t.actor(), t.actions.link, grantObject(t, g, g.ID), rec)
	})
	if err != nil {
		rec := t.record(record{GrantID: r.GrantID, Purpose: r.Purpose, FileID: fileID, Outcome: outcome(err)})
		if rerr := s.record(ctx, t, t.actions.link, grantObject(t, g, r.GrantID), rec, now); rerr != nil {
			return Link{}, File{}, rerr
		}
		return Link{}, File{}, err
	}
	return l, *f, nil
}

// RefuseLink records a link request refused before it could be read (a
// malformed body: r holds what was decoded) and returns err, or the
// recording's error.
func (s *Service) RefuseLink(ctx context.Context, c gateway.Caller, fileID string, r LinkRequest, err error) error {
	t := systemTaker(c)
	rec := t.record(record{GrantID: r.GrantID, Purpose: r.Purpose, FileID: fileID, Outcome: outcome(err)})
	if rerr := s.record(ctx, t, ActionLink, grantObject(t, nil, r.GrantID), rec, s.now()); rerr != nil {
		return rerr
	}
	return err
}

// Download is one download under way: the link, the file, and the
// watermarked copy to serve. Finish records it; Close releases the file.
type Download struct {
	Link  Link
	File  File
	Stamp Stamp
	Copy  *Copy
	// ETag names the copy's exact bytes (the original's digest and the
	// watermark's), so that a resumed download (If-Range) continues only
	// the same copy.
	ETag  string
	grant grant.Grant
	taker taker
}

// Close releases the stored file.
func (d *Download) Close() error { return d.Copy.Close() }

// Open checks a download through link linkID by the calling system at now:
// the link is the system's own and unexpired, its grant still usable for
// the link's purpose (a grant suspended since the link was issued stops
// it), its file live. It returns the watermarked copy to serve; a refusal
// is recorded.
func (s *Service) Open(ctx context.Context, c gateway.Caller, linkID string) (*Download, error) {
	return s.open(ctx, systemTaker(c), linkID)
}

func (s *Service) open(ctx context.Context, t taker, linkID string) (*Download, error) {
	cfg, err := s.config()
	if err != nil {
		return nil, err
	}
	now := s.now().UTC()
	var (
		l              *Link
		f              *File
		g              *grant.Grant
		consumer, name string
	)
	err = s.read(ctx, func(tx Tx) (err error) {
		if l, err = tx.FileLink(ctx, linkID); err != nil {
			return err
		}
		if l == nil {
			return errLinkNotFound
		}
		if err := t.owns(*l); err != nil {
			return err
		}
		if !now.Before(l.ExpiresAt) {
			return errLinkExpired
		}
		if g, err = tx.Grant(ctx, l.GrantID); err != nil {
			return err
		}
		if err := usable(g, t, now, l.Purpose); err != nil {
			return err
		}
		if f, err = tx.SharedFile(ctx, l.FileID); err != nil {
			return err
		}
		if f == nil || !f.Live() {
			return errNotFound
		}
		d, err := tx.Department(ctx, g.ConsumerID)
		if err != nil {
			return err
		}
		if d != nil {
			consumer = d.Name
		}
		if t.PersonID != "" {
			p, err := tx.Person(ctx, t.PersonID)
			if err != nil {
				return err
			}
			if p != nil {
				name = p.DisplayName
			}
		}
		return nil
	})
	var d *Download
	if err == nil {
		d, err = s.prepare(cfg, *l, *f, *g, t, consumer, name)
	}
	if err != nil {
		// A refusal is recorded against the link's grant when the link
		// exists (another taker trying it shows on that grant), else
		// against the link id asked for.
		rec := t.record(record{LinkID: linkID, Outcome: outcome(err)})
		o := ledger.Object{Type: "file_link", ID: linkID, DepartmentID: t.DepartmentID}
		if l != nil {
			rec.GrantID, rec.Purpose, rec.FileID = l.GrantID, l.Purpose, l.FileID
			o = grantObject(t, g, l.GrantID)
		}
		if rerr := s.record(ctx, t, t.actions.download, o, rec, now); rerr != nil {
			return nil, rerr
		}
		return nil, err
	}
	rec := t.record(record{GrantID: l.GrantID, Purpose: l.Purpose, FileID: f.ID, LinkID: l.ID, Outcome: "started"})
	if err := s.record(ctx, t, t.actions.start, grantObject(t, g, l.GrantID), rec, now); err != nil {
		d.Close()
		return nil, err
	}
	return d, nil
}

// prepare opens the stored file and builds the link's copy.
func (s *Service) prepare(cfg Config, l Link, f File, g grant.Grant, t taker, consumer, person string) (*Download, error) {
	fh, err := os.Open(pathOf(cfg, f.ID))
	if err != nil {
		return nil, fmt.Errorf("files: open stored file %s: %w", f.ID, err)
	}
	st := Stamp{ConsumerID: g.ConsumerID, ConsumerName: consumer, GrantID: g.ID, LinkID: l.ID, SystemID: l.SystemID,
		PersonID: l.PersonID, PersonName: person, IssuedAt: l.CreatedAt}
	keep, suffix, err := tail(fh, f.Size, f.Watermark, st)
	if err != nil {
		fh.Close()
		return nil, fmt.Errorf("files: watermark %s: %w", f.ID, err)
	}
	mark := sm3.Sum(suffix)
	etag := `"` + f.SM3[:min(16, len(f.SM3))] + "-" + hex.EncodeToString(mark[:8]) + `"`
	return &Download{Link: l, File: f, Stamp: st, Copy: newCopy(fh, keep, suffix), ETag: etag, grant: g, taker: t}, nil
}

// Transfer is what serving a download did, as the HTTP layer saw it.
type Transfer struct {
	Bytes    int64  // bytes of the copy sent
	Complete bool   // every byte asked for was sent
	ToEnd    bool   // the copy's last byte was among them
	Refusal  string // a refusal while serving (OutcomeNotModified, …), or ""
}

// Finish records a download that Open allowed, with the bytes sent and the
// outcome. The first complete download of the copy's end closes the
// provider's delivery obligation (Art. 22), in the same transaction.
func (s *Service) Finish(ctx context.Context, d *Download, t Transfer) error {
	now := s.now().UTC()
	out := "ok"
	switch {
	case t.Refusal != "":
		out = t.Refusal
	case !t.Complete:
		out = OutcomeInterrupted
	}
	tk := d.taker
	rec := tk.record(record{GrantID: d.grant.ID, Purpose: d.Link.Purpose, FileID: d.File.ID, LinkID: d.Link.ID, Bytes: t.Bytes, Outcome: out})
	ctx = context.WithoutCancel(ctx) // the download is recorded even if the caller hung up
	return s.write(ctx, func(tx Tx) error {
		if err := ledger.Record(ctx, tx, now, tk.actor(), tk.actions.download, grantObject(tk, &d.grant, d.grant.ID), rec); err != nil {
			return err
		}
		if out != "ok" || !t.ToEnd {
			return nil
		}
		return application.MarkDelivered(ctx, tx, d.grant.ApplicationID, application.FileDownload, now)
	})
}

// grantObject names the grant a call was made under: it belongs to the
// consumer department.
func grantObject(t taker, g *grant.Grant, id string) ledger.Object {
	o := ledger.Object{Type: "grant", ID: id, DepartmentID: t.DepartmentID}
	if g != nil {
		o.DepartmentID = g.ConsumerID
	}
	return o
}

// record appends a call's event in its own transaction, refused or not.
func (s *Service) record(ctx context.Context, t taker, action string, o ledger.Object, rec record, now time.Time) error {
	ctx = context.WithoutCancel(ctx) // a refusal is recorded even if the caller hangs up
	return s.write(ctx, func(tx Tx) error {
		return ledger.Record(ctx, tx, now.UTC(), t.actor(), action, o, rec)
	})
}

// outcome is the record's outcome of err: "ok" or its problem code.
func outcome(err error) string {
	if err == nil {
		return "ok"
	}
	var p *problem.Error
	if errors.As(err, &p) && p.Code != "" {
		return p.Code
	}
	return "internal_error"
}
