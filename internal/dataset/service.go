package dataset

import (
	"context"
	"time"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/catalog"
	"github.com/govshare/govshare/internal/ledger"
	"github.com/govshare/govshare/internal/problem"
)

// Head is the per-entry state of a hosted dataset as stored.
type Head struct {
	EntryID    string
	ProviderID string
	Version    int64
	LastSeq    int64
	RowCount   int64
	UpdatedAt  time.Time
}

// Tx is what the dataset service needs from one transaction; lookups return
// (nil, nil) when the object does not exist.
type Tx interface {
	CatalogHead(ctx context.Context, id string) (*catalog.Head, error)
	CatalogVersion(ctx context.Context, entryID string, n int) (*catalog.Version, error)
	// Dataset reads an entry's dataset head without locking it.
	Dataset(ctx context.Context, entryID string) (*Head, error)
	// LockDataset creates the head if needed and locks it for this
	// transaction, so that loads of one entry run one after the other and
	// change numbers stay unique and gapless.
	LockDataset(ctx context.Context, entryID, providerID string, now time.Time) (Head, error)
	SaveDataset(ctx context.Context, h Head) error
	// DatasetRows returns the stored rows of the given keys (tombstones
	// included), by key.
	DatasetRows(ctx context.Context, entryID string, keys []string) (map[string]StoredRow, error)
	// LiveDatasetKeys returns the keys of the live rows.
	LiveDatasetKeys(ctx context.Context, entryID string) ([]string, error)
	// PutDatasetRow inserts or replaces a row and appends its change.
	PutDatasetRow(ctx context.Context, entryID string, r StoredRow, c Change) error
	DatasetChanges(ctx context.Context, entryID string, after int64, limit int) ([]Change, error)
	AppendEvent(ctx context.Context, e ledger.Event) (int64, error)
}

// InTx runs fn in one transaction.
type InTx func(ctx context.Context, fn func(Tx) error) error

// Service runs the dataset commands: rights first, one transaction per
// load, the dataset version, the event.
type Service struct {
	write, read InTx
	now         func() time.Time
}

// NewService returns the dataset service.
func NewService(write, read InTx, now func() time.Time) *Service {
	return &Service{write: write, read: read, now: now}
}

var errNoEntry = &problem.Error{Kind: problem.NotFound, Code: "dataset.entry_not_found", Title: "目录不存在",
	Field: "entry_id", Detail: "no catalog entry has this id"}

var errUnpublished = &problem.Error{Kind: problem.Conflict, Code: "dataset.entry_not_published", Title: "目录尚未发布，不能托管数据",
	Detail: "only a published catalog entry's data can be hosted (Art. 16)"}

// ObjectOf names a dataset for the record: it belongs to the provider.
func ObjectOf(entryID, providerID string) ledger.Object {
	return ledger.Object{Type: "dataset", ID: entryID, DepartmentID: providerID}
}

// entry loads the catalog head and checks rights first: an actor who may not
// act gets 403 on a published entry and 404 on a draft it cannot know of;
// the provider gets a conflict for an unpublished entry. It returns the
// published version's schema.
func entry(ctx context.Context, tx Tx, a access.Actor, id string, may func(access.Actor, string) bool) (catalog.Head, *Schema, error) {
	h, err := tx.CatalogHead(ctx, id)
	if err != nil {
		return catalog.Head{}, nil, err
	}
	if h == nil {
		return catalog.Head{}, nil, errNoEntry
	}
	if !may(a, h.ProviderID) {
		if h.PublishedVersion > 0 || CanLoad(a, h.ProviderID) {
			return catalog.Head{}, nil, problem.ErrForbidden
		}
		return catalog.Head{}, nil, errNoEntry
	}
	if h.PublishedVersion == 0 {
		return catalog.Head{}, nil, errUnpublished
	}
	v, err := tx.CatalogVersion(ctx, h.ID, h.PublishedVersion)
	if err != nil {
		return catalog.Head{}, nil, err
	}
	if v == nil {
		return catalog.Head{}, nil, errNoEntry
	}
	s, err := NewSchema(*v)
	if err != nil {
		return catalog.Head{}, nil, err
	}
	return *h, s, nil
}

// Get returns the state of an entry's dataset (version 0 before any load).
func (s *Service) Get(ctx context.Context, a access.Actor, entryID string) (Dataset, error) {
	var out Dataset
	err := s.read(ctx, func(tx Tx) error {
		h, sc, err := entry(ctx, tx, a, entryID, CanRead)
		if err != nil {
			return err
		}
		out = Dataset{EntryID: h.ID, EntryVersion: sc.EntryVersion, ProviderID: h.ProviderID, KeyItems: sc.KeyItems()}
		d, err := tx.Dataset(ctx, entryID)
		if err != nil || d == nil {
			return err
		}
		at := d.UpdatedAt
		out.Version, out.RowCount, out.LastChange, out.UpdatedAt = d.Version, d.RowCount, d.LastSeq, &at
		return nil
	})
	return out, err
}

// MaxChanges bounds one page of the change feed.
const MaxChanges = 1000

// Changes pages through the change feed: the changes numbered after after,
// oldest first.
func (s *Service) Changes(ctx context.Context, a access.Actor, entryID string, after int64, limit int) ([]Change, error) {
	if after < 0 {
		return nil, problem.Field("after", "dataset.after_invalid", "参数无效", "after must be a change number, 0 or more")
	}
	if limit <= 0 || limit > MaxChanges {
		return nil, problem.Fieldf("limit", "dataset.limit_invalid", "参数无效", "limit must be 1 to %d", MaxChanges)
	}
	var out []Change
	err := s.read(ctx, func(tx Tx) error {
		if _, _, err := entry(ctx, tx, a, entryID, CanRead); err != nil {
			return err
		}
		var err error
		out, err = tx.DatasetChanges(ctx, entryID, after, limit)
		return err
	})
	return out, err
}

// step is one load or deletion inside its transaction: it locks the head,
// checks the version, applies, saves and records.
func (s *Service) step(ctx context.Context, a access.Actor, entryID string, version *int64, action string,
	check func(sc *Schema) error, apply func(tx Tx, d *Head, res *Result, now time.Time) error) (Result, error) {
	now := s.now().UTC()
	var res Result
	err := s.write(ctx, func(tx Tx) error {
		h, sc, err := entry(ctx, tx, a, entryID, mayLoad(ctx))
		if err != nil {
			return err
		}
		if err := check(sc); err != nil {
			return err
		}
		d, err := tx.LockDataset(ctx, h.ID, h.ProviderID, now)
		if err != nil {
			return err
		}
		if version != nil && *version != d.Version {
			return problem.ErrVersionConflict
		}
		d.Version++
		d.UpdatedAt = now
		res = Result{EntryID: h.ID, Version: d.Version}
		first := d.LastSeq
		if err := apply(tx, &d, &res, now); err != nil {
			return err
		}
		if d.LastSeq > first {
			res.FirstChange, res.LastChange = first+1, d.LastSeq
		}
		res.RowCount = d.RowCount
		if err := tx.SaveDataset(ctx, d); err != nil {
			return err
		}
		return ledger.Record(ctx, tx, now, a, action, ObjectOf(h.ID, h.ProviderID), res)
	})
	if err != nil {
		return Result{}, err
	}
	return res, nil
}

func (d *Head) change(ctx context.Context, tx Tx, key string, data string, now time.Time) error {
	d.LastSeq++
	c := Change{Seq: d.LastSeq, Op: OpUpsert, Key: []byte(key), Version: d.Version, At: now}
	r := StoredRow{Key: key, Data: data, Seq: d.LastSeq}
	if data == "" {
		c.Op, r.Deleted = OpDelete, true
	} else {
		c.Data = []byte(data)
	}
	return tx.PutDatasetRow(ctx, d.EntryID, r, c)
}

// Load loads rows into an entry's dataset: every row is checked against the
// published data items first, and a load with any bad row changes nothing.
func (s *Service) Load(ctx context.Context, a access.Actor, entryID string, in Load) (Result, error) {
	return s.load(ctx, a, entryID, in, MaxRows, nil)
}

// load is Load with a bound on the rows and, for an uploaded file, the file
// row number of each row, so that errors name the rows a person sees.
func (s *Service) load(ctx context.Context, a access.Actor, entryID string, in Load, max int, fileRows []int) (Result, error) {
	switch in.Mode {
	case Upsert, Replace:
	default:
		return Result{}, problem.Fieldf("mode", "dataset.mode_invalid", "加载方式无效", "mode must be upsert or replace; got %q", in.Mode)
	}
	var rows []Clean
	return s.step(ctx, a, entryID, in.Version, "dataset.load",
		func(sc *Schema) (err error) {
			rows, err = sc.checkRows("rows", in.Rows, max)
			return numberRows(err, fileRows)
		},
		func(tx Tx, d *Head, res *Result, now time.Time) error {
			res.Mode, res.Received = string(in.Mode), len(in.Rows)
			keys := make([]string, len(rows))
			named := map[string]bool{}
			for i, r := range rows {
				keys[i] = r.Key
				named[r.Key] = true
			}
			old, err := tx.DatasetRows(ctx, entryID, keys)
			if err != nil {
				return err
			}
			for _, r := range rows {
				o, ok := old[r.Key]
				switch {
				case ok && !o.Deleted && o.Data == r.Data:
					res.Unchanged++
					continue
				case ok && !o.Deleted:
					res.Updated++
				default:
					res.Inserted++
					d.RowCount++
				}
				if err := d.change(ctx, tx, r.Key, r.Data, now); err != nil {
					return err
				}
			}
			if in.Mode != Replace {
				return nil
			}
			live, err := tx.LiveDatasetKeys(ctx, entryID)
			if err != nil {
				return err
			}
			for _, k := range live {
				if named[k] {
					continue
				}
				res.Deleted++
				d.RowCount--
				if err := d.change(ctx, tx, k, "", now); err != nil {
					return err
				}
			}
			return nil
		})
}

// Delete deletes rows by key: each live row named becomes a tombstone with a
// new change number. Keys that name no live row are counted as absent.
func (s *Service) Delete(ctx context.Context, a access.Actor, entryID string, in Deletion) (Result, error) {
	var keys []string
	return s.step(ctx, a, entryID, in.Version, "dataset.delete",
		func(sc *Schema) (err error) { keys, err = sc.CheckKeys("keys", in.Keys); return err },
		func(tx Tx, d *Head, res *Result, now time.Time) error {
			res.Mode, res.Received = "delete", len(in.Keys)
			old, err := tx.DatasetRows(ctx, entryID, keys)
			if err != nil {
				return err
			}
			for _, k := range keys {
				if o, ok := old[k]; !ok || o.Deleted {
					res.Absent++
					continue
				}
				res.Deleted++
				d.RowCount--
				if err := d.change(ctx, tx, k, "", now); err != nil {
					return err
				}
			}
			return nil
		})
}
