package catalog

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/calendar"
	"github.com/govshare/govshare/internal/ledger"
	"github.com/govshare/govshare/internal/problem"
	"github.com/govshare/govshare/internal/workcal"
)

// InTx runs fn in one transaction: committed if fn returns nil, rolled back otherwise.
type InTx func(ctx context.Context, fn func(Tx) error) error

// Service runs the catalog commands: check the actor's rights, load, apply
// the rule, save, append the event — all in one transaction.
type Service struct {
	write InTx // read-write, for commands
	read  InTx // read-only, for queries
	cal   *workcal.Service
	now   func() time.Time
}

// NewService returns the catalog service.
func NewService(write, read InTx, cal *workcal.Service, now func() time.Time) *Service {
	return &Service{write: write, read: read, cal: cal, now: now}
}

func newID() string { return uuid.Must(uuid.NewV7()).String() }

var errNoEntry = problem.NotFoundf("catalog.entry_not_found", "目录不存在", "no such catalog entry")

func wrongState(detail string) error {
	return &problem.Error{Kind: problem.Conflict, Code: "catalog.wrong_state", Title: "目录当前状态不允许此操作", Detail: detail}
}

func versionRequired(v int64) error {
	if v <= 0 {
		return problem.Field("version", "catalog.version_required", "缺少版本号", "version (the version you last read) is required")
	}
	return nil
}

// object is how the record names an act on an entry.
func object(h Head) ledger.Object {
	return ledger.Object{Type: "catalog_entry", ID: h.ID, DepartmentID: h.ProviderID}
}

// today is the date of the injected clock in Asia/Shanghai.
func (s *Service) today() calendar.Date { return calendar.DateOf(s.now()) }

// load returns an entry's head, or not-found.
func load(ctx context.Context, tx Tx, id string) (Head, error) {
	h, err := tx.CatalogHead(ctx, id)
	if err != nil {
		return Head{}, err
	}
	if h == nil {
		return Head{}, errNoEntry
	}
	return *h, nil
}

// refuse answers an actor who may not act on an entry: forbidden if they can
// see it, not found otherwise, so that drafts do not betray their existence.
func refuse(ctx context.Context, tx Tx, a access.Actor, h Head) error {
	if !CanReadCatalog(a) || h.PublishedVersion > 0 {
		return problem.ErrForbidden
	}
	if ok, err := CanSeeWorking(a, h, regionOf(ctx, tx)); err != nil {
		return err
	} else if ok {
		return problem.ErrForbidden
	}
	return errNoEntry
}

func regionOf(ctx context.Context, tx Tx) Region {
	return func(outer, inner string) (bool, error) { return tx.InRegion(ctx, outer, inner) }
}

func providerName(ctx context.Context, tx Tx, id string) (string, error) {
	d, err := tx.Department(ctx, id)
	if err != nil || d == nil {
		return "", err
	}
	return d.Name, nil
}

// view builds the entry as the record and the API show it.
func view(ctx context.Context, tx Tx, h Head, v Version) (Entry, error) {
	name, err := providerName(ctx, tx, h.ProviderID)
	if err != nil {
		return Entry{}, err
	}
	e := entryOf(h, v, name)
	if e.SourceDepartments, err = sourceMarks(ctx, tx, h.DivisionCode, v.Items); err != nil {
		return Entry{}, err
	}
	return e, nil
}

func loadVersion(ctx context.Context, tx Tx, h Head, n int) (Version, error) {
	v, err := tx.CatalogVersion(ctx, h.ID, n)
	if err != nil {
		return Version{}, err
	}
	if v == nil {
		return Version{}, errNoEntry
	}
	return *v, nil
}

// Create starts a new entry for the actor's own department: the provider is
// never taken from the request.
func (s *Service) Create(ctx context.Context, a access.Actor, d Draft) (Entry, error) {
	if !a.HasAny(access.OfficeStaff, access.OfficeHead) || a.DepartmentID == "" {
		return Entry{}, problem.ErrForbidden
	}
	d = normalize(d)
	if err := ValidateDraft(d); err != nil {
		return Entry{}, err
	}
	now := s.now().UTC()
	var e Entry
	err := s.write(ctx, func(tx Tx) error {
		dept, err := tx.Department(ctx, a.DepartmentID)
		if err != nil {
			return err
		}
		if dept == nil {
			return problem.ErrForbidden
		}
		seq, err := tx.NextCatalogSeq(ctx)
		if err != nil {
			return err
		}
		h := Head{ID: newID(), Seq: seq, ProviderID: dept.ID, DivisionCode: dept.DivisionCode, ResourceCode: d.ResourceCode,
			State: Drafted, WorkingVersion: 1, Version: 1, CreatedAt: now, UpdatedAt: now}
		v := Version{Number: 1, State: Drafted, Draft: d, Grade: Strictest(d.Items), CreatedAt: now, UpdatedAt: now}
		if err := tx.InsertCatalogHead(ctx, h); err != nil {
			return err
		}
		if err := tx.PutCatalogVersion(ctx, h.ID, v); err != nil {
			return err
		}
		if e, err = view(ctx, tx, h, v); err != nil {
			return err
		}
		if err := ledger.Record(ctx, tx, now, a, "catalog.create", object(h), e); err != nil {
			return err
		}
		e.Duplicates, err = duplicates(ctx, tx, h, d.Items)
		return err
	})
	return e, err
}

// Update saves the working draft. A draft or returned version is edited in
// place; a published entry gets a new working version, so that the version in
// force stays as it was until the new one is published (Art. 17).
func (s *Service) Update(ctx context.Context, a access.Actor, entryID string, d Draft, version int64) (Entry, error) {
	if err := versionRequired(version); err != nil {
		return Entry{}, err
	}
	d = normalize(d)
	now := s.now().UTC()
	var e Entry
	err := s.write(ctx, func(tx Tx) error {
		h, err := load(ctx, tx, entryID)
		if err != nil {
			return err
		}
		if !CanDraft(a, h.ProviderID) {
			return refuse(ctx, tx, a, h)
		}
		if err := ValidateDraft(d); err != nil {
			return err
		}
		if h.Version != version {
			return problem.ErrVersionConflict
		}
		var v Version
		switch h.State {
		case Drafted, Returned:
			if v, err = s.working(ctx, tx, h); err != nil {
				return err
			}
		case Published:
			v = Version{Number: h.WorkingVersion + 1, CreatedAt: now}
			h.WorkingVersion = v.Number
		default:
			return wrongState("the entry is under review and cannot be edited until the authority decides")
		}
		v.State, v.Draft, v.Grade, v.UpdatedAt = Drafted, d, Strictest(d.Items), now
		h.State, h.ResourceCode, h.UpdatedAt = Drafted, d.ResourceCode, now
		h.Version++
		if e, err = save(ctx, tx, a, now, "catalog.update", h, v); err != nil {
			return err
		}
		e.Duplicates, err = duplicates(ctx, tx, h, d.Items)
		return err
	})
	return e, err
}

func (s *Service) working(ctx context.Context, tx Tx, h Head) (Version, error) {
	return loadVersion(ctx, tx, h, h.WorkingVersion)
}

// RecordAssessments records the secrecy-risk and personal-information impact
// assessments of the working version (Art. 13). Either may be given alone;
// one given replaces the one recorded before.
func (s *Service) RecordAssessments(ctx context.Context, a access.Actor, entryID string, as Assessments, version int64) (Entry, error) {
	if err := versionRequired(version); err != nil {
		return Entry{}, err
	}
	now := s.now().UTC()
	var e Entry
	err := s.write(ctx, func(tx Tx) error {
		h, err := load(ctx, tx, entryID)
		if err != nil {
			return err
		}
		if !CanDraft(a, h.ProviderID) {
			return refuse(ctx, tx, a, h)
		}
		if as.Secrecy == nil && as.PersonalInformation == nil {
			return problem.Field("secrecy", "catalog.assessment_missing", "请至少填写一项评估", "give the secrecy or the personal_information assessment")
		}
		for _, x := range []struct {
			field string
			a     *Assessment
		}{{"secrecy", as.Secrecy}, {"personal_information", as.PersonalInformation}} {
			if x.a != nil {
				if err := ValidateAssessment(x.field, *x.a, s.today()); err != nil {
					return err
				}
			}
		}
		if h.Version != version {
			return problem.ErrVersionConflict
		}
		if h.State != Drafted && h.State != Returned {
			return wrongState("assessments are recorded on a draft; edit the entry first to start a new version")
		}
		v, err := s.working(ctx, tx, h)
		if err != nil {
			return err
		}
		if as.Secrecy != nil {
			v.Assessments.Secrecy = as.Secrecy
		}
		if as.PersonalInformation != nil {
			v.Assessments.PersonalInformation = as.PersonalInformation
		}
		v.UpdatedAt, h.UpdatedAt = now, now
		h.Version++
		e, err = save(ctx, tx, a, now, "catalog.assess", h, v)
		return err
	})
	return e, err
}

// Get returns an entry: its working version to those who may see drafts, its
// published version to every other reader; an entry never published is not
// found for them.
func (s *Service) Get(ctx context.Context, a access.Actor, id string) (Entry, error) {
	if !CanReadCatalog(a) {
		return Entry{}, problem.ErrForbidden
	}
	var e Entry
	err := s.read(ctx, func(tx Tx) error {
		h, err := load(ctx, tx, id)
		if err != nil {
			return err
		}
		n, err := visibleVersion(ctx, tx, a, h)
		if err != nil {
			return err
		}
		v, err := loadVersion(ctx, tx, h, n)
		if err != nil {
			return err
		}
		e, err = view(ctx, tx, h, v)
		return err
	})
	return e, err
}

func visibleVersion(ctx context.Context, tx Tx, a access.Actor, h Head) (int, error) {
	ok, err := CanSeeWorking(a, h, regionOf(ctx, tx))
	switch {
	case err != nil:
		return 0, err
	case ok:
		return h.WorkingVersion, nil
	case h.PublishedVersion > 0:
		return h.PublishedVersion, nil
	}
	return 0, errNoEntry
}

// Versions lists an entry's versions, oldest first: every version that was
// ever published stays readable; unpublished ones only to those who may see drafts.
func (s *Service) Versions(ctx context.Context, a access.Actor, id string) ([]Version, error) {
	if !CanReadCatalog(a) {
		return nil, problem.ErrForbidden
	}
	var out []Version
	err := s.read(ctx, func(tx Tx) error {
		h, err := load(ctx, tx, id)
		if err != nil {
			return err
		}
		all, err := CanSeeWorking(a, h, regionOf(ctx, tx))
		if err != nil {
			return err
		}
		if !all && h.PublishedVersion == 0 {
			return errNoEntry
		}
		vs, err := tx.CatalogVersions(ctx, h.ID)
		if err != nil {
			return err
		}
		out = []Version{}
		for _, v := range vs {
			if all || v.State == Published || v.State == Superseded {
				out = append(out, v)
			}
		}
		return nil
	})
	return out, err
}

// Version returns version n of an entry, under the rules of Versions.
func (s *Service) Version(ctx context.Context, a access.Actor, id string, n int) (Version, error) {
	vs, err := s.Versions(ctx, a, id)
	if err != nil {
		return Version{}, err
	}
	for _, v := range vs {
		if v.Number == n {
			return v, nil
		}
	}
	return Version{}, problem.NotFoundf("catalog.version_not_found", "目录版本不存在", "entry %s has no version %d you may read", id, n)
}

// save writes an entry's head and working version, and records the act with
// the entry as the API shows it afterwards: the tail of every command that
// changes an entry.
func save(ctx context.Context, tx Tx, a access.Actor, now time.Time, action string, h Head, v Version) (Entry, error) {
	if err := tx.UpdateCatalogHead(ctx, h); err != nil {
		return Entry{}, err
	}
	if err := tx.PutCatalogVersion(ctx, h.ID, v); err != nil {
		return Entry{}, err
	}
	e, err := view(ctx, tx, h, v)
	if err != nil {
		return Entry{}, err
	}
	return e, ledger.Record(ctx, tx, now, a, action, object(h), e)
}
