package files

import (
	"context"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/grant"
	"github.com/govshare/govshare/internal/problem"
)

// A person of the consumer's sharing office may take a grant's files in the
// console, as its application systems do through the gateway: the same
// grant check, a link of their own valid for the configured time, a copy
// whose watermark names the person, and a record of every link and
// download, granted or refused (file.link, file.download_start,
// file.download). The first complete download closes the provider's
// delivery obligation as a system's does.

// OfficeGrantFiles lists the live files grantID delivers, for a person of
// its consumer's sharing office. A listing reads no data and is not
// recorded.
func (s *Service) OfficeGrantFiles(ctx context.Context, a access.Actor, grantID string) ([]File, error) {
	if err := s.authorize(ctx, a, grantID); err != nil {
		return nil, err
	}
	var g *grant.Grant
	return s.grantFiles(ctx, personTaker(a), grantID, s.now(), &g)
}

// OfficeLink gives a person of r.GrantID's consumer office a download link
// of fileID, bound to the grant and the person. The link and its record
// are written in one transaction; a refusal under the grant (its state, the
// purpose, the file) is recorded in its own. Someone outside the office is
// refused as on every route, without a record.
func (s *Service) OfficeLink(ctx context.Context, a access.Actor, fileID string, r LinkRequest) (Link, File, error) {
	if err := s.authorize(ctx, a, r.GrantID); err != nil {
		return Link{}, File{}, err
	}
	return s.requestLink(ctx, personTaker(a), fileID, r)
}

// OfficeOpen checks a download through the person's own link linkID, as
// Open does for a system: the link unexpired, its grant still usable, its
// file live. A refusal under the grant is recorded; a link that is not the
// person's, or a person no longer in the consumer's office, is refused
// without one.
func (s *Service) OfficeOpen(ctx context.Context, a access.Actor, linkID string) (*Download, error) {
	err := s.read(ctx, func(tx Tx) error {
		l, err := tx.FileLink(ctx, linkID)
		switch {
		case err != nil:
			return err
		case l == nil:
			return errLinkNotFound
		case l.PersonID == "" || l.PersonID != a.PersonID:
			return problem.ErrForbidden
		}
		g, err := tx.Grant(ctx, l.GrantID)
		if err != nil {
			return err
		}
		if g == nil || !CanTake(a, g.ConsumerID) {
			return problem.ErrForbidden
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.open(ctx, personTaker(a), linkID)
}

// authorize refuses a person outside grantID's consumer office: "no such
// grant" to one who may not see the grant at all, so that the files routes
// tell nobody of grants beyond what the grant routes do; auth.forbidden to
// one who may.
func (s *Service) authorize(ctx context.Context, a access.Actor, grantID string) error {
	return s.read(ctx, func(tx Tx) error {
		g, err := tx.Grant(ctx, grantID)
		switch {
		case err != nil:
			return err
		case g == nil:
			return errGrantNotFound
		case CanTake(a, g.ConsumerID):
			return nil
		}
		ok, err := grant.CanRead(a, g, func(o, i string) (bool, error) { return tx.InRegion(ctx, o, i) })
		switch {
		case err != nil:
			return err
		case !ok:
			return errGrantNotFound
		}
		return problem.ErrForbidden
	})
}
