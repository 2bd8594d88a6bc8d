package files

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/application"
	"github.com/govshare/govshare/internal/catalog"
	"github.com/govshare/govshare/internal/grant"
	"github.com/govshare/govshare/internal/ledger"
	"github.com/govshare/govshare/internal/org"
	"github.com/govshare/govshare/internal/problem"
)

// Tx is what the files service needs from one transaction; lookups return
// (nil, nil) when the object does not exist.
type Tx interface {
	CatalogHead(ctx context.Context, id string) (*catalog.Head, error)
	CatalogVersion(ctx context.Context, entryID string, n int) (*catalog.Version, error)
	Grant(ctx context.Context, id string) (*grant.Grant, error)
	Department(ctx context.Context, id string) (*org.Department, error)
	// Person names the person a console copy's watermark names.
	Person(ctx context.Context, id string) (*org.Person, error)
	// InRegion answers whether division inner lies within (or is) outer:
	// whether a reviewer or auditor may see a grant (grant.CanRead).
	InRegion(ctx context.Context, outer, inner string) (bool, error)
	InsertSharedFile(ctx context.Context, f File) error
	SharedFile(ctx context.Context, id string) (*File, error)
	ListSharedFiles(ctx context.Context, f Filter) ([]File, error)
	// DeleteSharedFile marks a live file deleted; it reports false, and
	// changes nothing, when the file was already deleted.
	DeleteSharedFile(ctx context.Context, id, by string, at time.Time) (bool, error)
	InsertFileLink(ctx context.Context, l Link) error
	FileLink(ctx context.Context, id string) (*Link, error)
	// The first complete download closes the delivery obligation in the
	// download's record transaction (AppendEvent included).
	application.DeliveredTx
}

// InTx runs fn in one transaction.
type InTx func(ctx context.Context, fn func(Tx) error) error

// Defaults of Config.
const (
	DefaultMaxBytes = 8 << 30
	DefaultLinkTTL  = 15 * time.Minute
)

// Config is where and how files are kept.
type Config struct {
	// Dir holds the files, each under its ID. Nodes sharing a PostgreSQL
	// database must share it (a network file system).
	Dir string
	// MaxBytes bounds one file (DefaultMaxBytes when 0).
	MaxBytes int64
	// LinkTTL is how long a download link works (DefaultLinkTTL when 0).
	LinkTTL time.Duration
}

// Service runs the file commands of providers and the downloads of
// consumers.
type Service struct {
	write, read InTx
	now         func() time.Time
	cfg         atomic.Pointer[Config]
}

// NewService returns the files service, without a directory until
// Configure: until then uploads and downloads fail with
// files.storage_missing, and listings work.
func NewService(write, read InTx, now func() time.Time) *Service {
	return &Service{write: write, read: read, now: now}
}

// Configure sets where files are kept, creating the directory; call it at
// start, before serving.
func (s *Service) Configure(c Config) error {
	if c.Dir == "" {
		return errors.New("files: no directory")
	}
	if c.MaxBytes <= 0 {
		c.MaxBytes = DefaultMaxBytes
	}
	if c.LinkTTL <= 0 {
		c.LinkTTL = DefaultLinkTTL
	}
	if err := os.MkdirAll(c.Dir, 0o750); err != nil {
		return fmt.Errorf("files: directory: %w", err)
	}
	s.cfg.Store(&c)
	return nil
}

// Config returns the configuration in force, false when none.
func (s *Service) Config() (Config, bool) {
	if c := s.cfg.Load(); c != nil {
		return *c, true
	}
	return Config{}, false
}

func (s *Service) config() (Config, error) {
	c, ok := s.Config()
	if !ok {
		return Config{}, errNoStorage
	}
	return c, nil
}

func pathOf(c Config, id string) string { return filepath.Join(c.Dir, id) }

func tooLarge(maxBytes int64) error {
	return &problem.Error{Kind: problem.TooLarge, Code: "files.too_large", Title: "文件过大",
		Detail: fmt.Sprintf("a file may have at most %d bytes", maxBytes)}
}

// entryFor loads the catalog head and checks rights first: an actor who may
// not act gets 403 on a published entry and 404 on a draft it cannot know
// of.
func entryFor(ctx context.Context, tx Tx, a access.Actor, id string, may func(access.Actor, string) bool) (*catalog.Head, error) {
	h, err := tx.CatalogHead(ctx, id)
	if err != nil {
		return nil, err
	}
	if h == nil {
		return nil, errNoEntry
	}
	if !may(a, h.ProviderID) {
		if h.PublishedVersion > 0 || CanManage(a, h.ProviderID) {
			return nil, problem.ErrForbidden
		}
		return nil, errNoEntry
	}
	return h, nil
}

// offersFiles checks that the entry is published and its published version
// offers file download.
func offersFiles(ctx context.Context, tx Tx, h *catalog.Head) error {
	if h.PublishedVersion == 0 {
		return errUnpublished
	}
	v, err := tx.CatalogVersion(ctx, h.ID, h.PublishedVersion)
	if err != nil {
		return err
	}
	if v == nil || !slices.Contains(v.DeliveryMethods, catalog.FileDownload) {
		return errMethodNotOffered
	}
	return nil
}

const maxNameBytes = 255

// cleanName checks an uploaded file's name: a plain file name, no
// directories, no control characters.
func cleanName(name string) (string, error) {
	name = strings.TrimSpace(name)
	bad := func(detail string) error {
		return problem.Field("name", "files.name_invalid", "文件名无效", detail)
	}
	switch {
	case name == "":
		return "", problem.Field("name", "files.name_required", "请提供文件名", "the name query parameter is required")
	case !utf8.ValidString(name):
		return "", bad("the name is not valid UTF-8")
	case len(name) > maxNameBytes:
		return "", bad(fmt.Sprintf("the name may have at most %d bytes", maxNameBytes))
	case name == "." || name == ".." || strings.ContainsAny(name, `/\`):
		return "", bad("the name must be a file name without directories")
	case strings.IndexFunc(name, unicode.IsControl) >= 0:
		return "", bad("the name contains control characters")
	}
	return name, nil
}

// cleanMediaType parses the declared media type; none, or the generic
// application/octet-stream, is guessed from the name's extension.
func cleanMediaType(declared, name string) (string, error) {
	if strings.TrimSpace(declared) != "" {
		mt, params, err := mime.ParseMediaType(declared)
		if err != nil {
			return "", &problem.Error{Kind: problem.Unsupported, Code: "files.media_type_invalid", Title: "文件类型格式错误", Field: "Content-Type",
				Detail: "Content-Type is not a valid media type"}
		}
		if mt != "application/octet-stream" {
			return mime.FormatMediaType(mt, params), nil
		}
	}
	if guess := mime.TypeByExtension(strings.ToLower(path.Ext(name))); guess != "" {
		return guess, nil
	}
	return "application/octet-stream", nil
}

func validDigest(s string) bool {
	if len(s) != 64 {
		return false
	}
	for _, c := range s {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

// Upload stores body as a new file of the entry. Rights are checked before
// a byte is read; the bytes are streamed to disk with their SM3 digest and
// size, synced and renamed into place, and only then is the row written
// and the act recorded, in one transaction. A refused or failed upload
// leaves no row and no file.
func (s *Service) Upload(ctx context.Context, a access.Actor, entryID string, in Upload, body io.Reader) (File, error) {
	cfg, err := s.config()
	if err != nil {
		return File{}, err
	}
	var h *catalog.Head
	err = s.read(ctx, func(tx Tx) (err error) {
		if h, err = entryFor(ctx, tx, a, entryID, CanManage); err != nil {
			return err
		}
		return offersFiles(ctx, tx, h)
	})
	if err != nil {
		return File{}, err
	}
	name, err := cleanName(in.Name)
	if err != nil {
		return File{}, err
	}
	mt, err := cleanMediaType(in.MediaType, name)
	if err != nil {
		return File{}, err
	}
	if in.SM3 != "" && !validDigest(in.SM3) {
		return File{}, &problem.Error{Kind: problem.Malformed, Code: "files.checksum_invalid", Title: "文件校验值格式错误", Field: HeaderSM3,
			Detail: HeaderSM3 + " must be the SM3 digest as 64 hex digits"}
	}
	if in.Length > cfg.MaxBytes {
		return File{}, tooLarge(cfg.MaxBytes)
	}
	rec, err := receive(cfg.Dir, in, cfg.MaxBytes, body)
	if err != nil {
		return File{}, err
	}
	f := File{ID: uuid.Must(uuid.NewV7()).String(), EntryID: h.ID, ProviderID: h.ProviderID, Name: name, MediaType: mt,
		Size: rec.size, SM3: rec.sum, Watermark: markOf(rec.tmp, rec.size, name, mt), UploadedBy: a.PersonID}
	final := pathOf(cfg, f.ID)
	if err := rec.place(final); err != nil {
		return File{}, err
	}
	// The bytes are safe on disk: the row is written even if the uploader
	// hangs up now, so that a row never lacks its file nor a file its row.
	wctx := context.WithoutCancel(ctx)
	err = s.write(wctx, func(tx Tx) error {
		h, err := entryFor(wctx, tx, a, entryID, CanManage)
		if err != nil {
			return err
		}
		if err := offersFiles(wctx, tx, h); err != nil {
			return err
		}
		f.UploadedAt = s.now().UTC()
		if err := tx.InsertSharedFile(wctx, f); err != nil {
			return err
		}
		return ledger.Record(wctx, tx, f.UploadedAt, a, ActionUpload, objectOf(f), f)
	})
	if err != nil {
		// A commit can fail after it took effect (a lost connection to
		// PostgreSQL, say): the bytes go only once the row is known to be
		// absent. When that cannot be known, they stay, and the sweep at the
		// next start removes them if they are orphaned.
		var row *File
		if rerr := s.read(wctx, func(tx Tx) (err error) { row, err = tx.SharedFile(wctx, f.ID); return err }); rerr == nil && row == nil {
			os.Remove(final)
		}
		return File{}, err
	}
	return f, nil
}

func objectOf(f File) ledger.Object {
	return ledger.Object{Type: "file", ID: f.ID, DepartmentID: f.ProviderID}
}

// MaxList bounds one page of a listing.
const MaxList = 500

// List returns an entry's files, oldest first; deleted ones too when asked.
func (s *Service) List(ctx context.Context, a access.Actor, f Filter) ([]File, error) {
	if f.Limit <= 0 || f.Limit > MaxList {
		return nil, problem.Fieldf("limit", "files.limit_invalid", "参数无效", "limit must be 1 to %d", MaxList)
	}
	var out []File
	err := s.read(ctx, func(tx Tx) error {
		if _, err := entryFor(ctx, tx, a, f.EntryID, CanRead); err != nil {
			return err
		}
		var err error
		out, err = tx.ListSharedFiles(ctx, f)
		return err
	})
	return out, err
}

// Get returns one file's metadata, deleted or not.
func (s *Service) Get(ctx context.Context, a access.Actor, id string) (File, error) {
	var out File
	err := s.read(ctx, func(tx Tx) error {
		f, err := tx.SharedFile(ctx, id)
		if err != nil {
			return err
		}
		if f == nil {
			return errNotFound
		}
		if !CanRead(a, f.ProviderID) {
			return problem.ErrForbidden
		}
		out = *f
		return nil
	})
	return out, err
}

// Delete marks a file deleted, recorded; its row stays, so that the record
// and the links already given out still name it. Its bytes are removed
// after the commit (a download already under way finishes).
func (s *Service) Delete(ctx context.Context, a access.Actor, id string) (File, error) {
	cfg, err := s.config()
	if err != nil {
		return File{}, err
	}
	var out File
	err = s.write(ctx, func(tx Tx) error {
		f, err := tx.SharedFile(ctx, id)
		if err != nil {
			return err
		}
		if f == nil {
			return errNotFound
		}
		if !CanManage(a, f.ProviderID) {
			return problem.ErrForbidden
		}
		now := s.now().UTC()
		ok, err := tx.DeleteSharedFile(ctx, id, a.PersonID, now)
		if err != nil {
			return err
		}
		if !ok {
			return errDeleted
		}
		f.DeletedAt, f.DeletedBy = &now, a.PersonID
		out = *f
		return ledger.Record(ctx, tx, now, a, ActionDelete, objectOf(*f), *f)
	})
	if err != nil {
		return File{}, err
	}
	// The deletion is committed; bytes that cannot be removed now are
	// removed by the next Sweep.
	_ = os.Remove(pathOf(cfg, id))
	return out, nil
}

// Sweep removes what crashes leave in the directory: temporary files of
// uploads older than a day, files without a row (renamed into place, then
// the process died before the commit) and bytes of deleted files, both
// older than an hour, so that an upload committing right now is not
// touched. Run it at start.
func (s *Service) Sweep(ctx context.Context) (int, error) {
	cfg, err := s.config()
	if err != nil {
		return 0, err
	}
	wall := time.Now()
	n, err := sweepTemp(cfg.Dir, 24*time.Hour, wall)
	if err != nil {
		return n, err
	}
	ents, err := os.ReadDir(cfg.Dir)
	if err != nil {
		return n, err
	}
	var stale []string
	err = s.read(ctx, func(tx Tx) error {
		for _, e := range ents {
			if _, perr := uuid.Parse(e.Name()); perr != nil || !e.Type().IsRegular() {
				continue
			}
			info, err := e.Info()
			if err != nil || wall.Sub(info.ModTime()) < time.Hour {
				continue
			}
			f, err := tx.SharedFile(ctx, e.Name())
			if err != nil {
				return err
			}
			if f == nil || !f.Live() {
				stale = append(stale, e.Name())
			}
		}
		return nil
	})
	for _, name := range stale {
		if os.Remove(filepath.Join(cfg.Dir, name)) == nil {
			n++
		}
	}
	return n, err
}
