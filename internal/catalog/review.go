package catalog

import (
	"context"
	"unicode/utf8"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/org"
	"github.com/govshare/govshare/internal/problem"
	"github.com/govshare/govshare/internal/workcal"
)

// ReviewDays is the authority's period to review and publish: 2 working days
// from receipt (Art. 17 for updates; the platform holds every review to it).
const ReviewDays = 2

const maxOpinion = 1000

// Submit is the office head's approval (Art. 13): the working version goes to
// the provider's same-level authority (Art. 16), which receives it now and
// must decide within ReviewDays working days. Both assessments must be on
// record. Submitting fulfils the entry's open update obligations (Art. 17).
func (s *Service) Submit(ctx context.Context, a access.Actor, entryID string, version int64) (Entry, error) {
	if err := versionRequired(version); err != nil {
		return Entry{}, err
	}
	cal, err := s.cal.Current(ctx)
	if err != nil {
		return Entry{}, err
	}
	now := s.now().UTC()
	today := s.today()
	var e Entry
	err = s.write(ctx, func(tx Tx) error {
		h, err := load(ctx, tx, entryID)
		if err != nil {
			return err
		}
		if !CanApprove(a, h.ProviderID) {
			return refuse(ctx, tx, a, h)
		}
		if h.Version != version {
			return problem.ErrVersionConflict
		}
		if h.State != Drafted && h.State != Returned {
			return wrongState("only a draft or a returned entry can be submitted; this one is " + string(h.State))
		}
		// The rights and the state come first: only then does it matter
		// that the review deadline can be counted.
		deadline, err := cal.DeadlineFrom(today, ReviewDays)
		if err != nil {
			return workcal.Problem(err)
		}
		v, err := s.working(ctx, tx, h)
		if err != nil {
			return err
		}
		if err := ReadyToSubmit(v.Assessments); err != nil {
			return err
		}
		auth, err := org.AuthorityFor(ctx, tx, h.DivisionCode)
		if err != nil {
			return err
		}
		v.State, v.UpdatedAt = Submitted, now
		v.Review = &Review{AuthorityID: auth.ID, SubmittedAt: now, SubmittedBy: a.PersonID, Due: deadline.Due, Rule: deadline.Rule}
		h.State, h.AuthorityID, h.UpdatedAt = Submitted, auth.ID, now
		h.Version++
		if e, err = save(ctx, tx, a, now, "catalog.submit", h, v); err != nil {
			return err
		}
		if err := s.fulfil(ctx, tx, a, h, v.Number, today); err != nil {
			return err
		}
		e.Duplicates, err = duplicates(ctx, tx, h, v.Items)
		return err
	})
	return e, err
}

// decide loads a submitted entry for its same-level authority's reviewer.
// The version is checked before the state, so that of two reviewers acting
// at once the second learns that someone else acted (a conflict), not merely
// that the state is wrong.
func (s *Service) decide(ctx context.Context, tx Tx, a access.Actor, entryID string, version int64) (Head, Version, error) {
	h, err := load(ctx, tx, entryID)
	if err != nil {
		return Head{}, Version{}, err
	}
	auth, err := org.AuthorityFor(ctx, tx, h.DivisionCode)
	if err != nil {
		return Head{}, Version{}, err
	}
	if !CanReview(a, auth.ID) {
		return Head{}, Version{}, refuse(ctx, tx, a, h)
	}
	// A draft never sent to the authority is none of its business yet.
	if sees, err := CanSeeWorking(a, h, regionOf(ctx, tx)); err != nil {
		return Head{}, Version{}, err
	} else if !sees && h.PublishedVersion == 0 {
		return Head{}, Version{}, errNoEntry
	}
	if h.Version != version {
		return Head{}, Version{}, problem.ErrVersionConflict
	}
	if h.State != Submitted {
		return Head{}, Version{}, wrongState("only a submitted entry can be published or returned; this one is " + string(h.State))
	}
	v, err := s.working(ctx, tx, h)
	if err != nil {
		return Head{}, Version{}, err
	}
	return h, v, nil
}

// Publish is the authority's approval (Art. 16): the version comes into force,
// the one before it is superseded but stays readable, and the entry becomes
// visible and searchable to every department.
func (s *Service) Publish(ctx context.Context, a access.Actor, entryID string, version int64, opinion string) (Entry, error) {
	if err := versionRequired(version); err != nil {
		return Entry{}, err
	}
	if utf8.RuneCountInString(opinion) > maxOpinion {
		return Entry{}, tooLong("opinion", maxOpinion)
	}
	now := s.now().UTC()
	var e Entry
	err := s.write(ctx, func(tx Tx) error {
		h, v, err := s.decide(ctx, tx, a, entryID, version)
		if err != nil {
			return err
		}
		if h.PublishedVersion > 0 && h.PublishedVersion != v.Number {
			old, err := loadVersion(ctx, tx, h, h.PublishedVersion)
			if err != nil {
				return err
			}
			old.State = Superseded
			if err := tx.PutCatalogVersion(ctx, h.ID, old); err != nil {
				return err
			}
		}
		review := *v.Review
		review.DecidedAt, review.DecidedBy, review.Opinion = &now, a.PersonID, opinion
		v.State, v.Review, v.PublishedAt, v.UpdatedAt = Published, &review, &now, now
		h.State, h.PublishedVersion, h.UpdatedAt = Published, v.Number, now
		h.Version++
		if err := tx.IndexCatalogEntry(ctx, h, v); err != nil {
			return err
		}
		e, err = save(ctx, tx, a, now, "catalog.publish", h, v)
		return err
	})
	return e, err
}

// Return sends the version back to the provider with the reasons, which are
// mandatory: a provider must know what to fix.
func (s *Service) Return(ctx context.Context, a access.Actor, entryID string, version int64, reasons string) (Entry, error) {
	if err := versionRequired(version); err != nil {
		return Entry{}, err
	}
	now := s.now().UTC()
	var e Entry
	err := s.write(ctx, func(tx Tx) error {
		h, v, err := s.decide(ctx, tx, a, entryID, version)
		if err != nil {
			return err
		}
		if err := text("reasons", reasons, maxOpinion, true, "catalog.reasons_required", "退回须说明理由"); err != nil {
			return err
		}
		review := *v.Review
		review.DecidedAt, review.DecidedBy, review.Reasons = &now, a.PersonID, reasons
		v.State, v.Review, v.UpdatedAt = Returned, &review, now
		h.State, h.UpdatedAt = Returned, now
		h.Version++
		e, err = save(ctx, tx, a, now, "catalog.return", h, v)
		return err
	})
	return e, err
}
