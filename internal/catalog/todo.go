package catalog

import (
	"context"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/todo"
)

// Todos lists what waits for the actor in the catalog: drafts to finish and
// returned entries to fix (the provider's office), drafts ready for approval
// (its head), reviews due (the authority's reviewers), update obligations
// (the provider) and extension requests to decide (the authority).
func (s *Service) Todos(ctx context.Context, a access.Actor) ([]todo.Item, error) {
	out := []todo.Item{}
	office := a.DepartmentID != "" && a.HasAny(access.OfficeStaff, access.OfficeHead)
	reviewer := a.DepartmentID != "" && a.Has(access.AuthorityReviewer)
	if !office && !reviewer {
		return out, nil
	}
	cal, err := s.cal.Current(ctx)
	if err != nil {
		return nil, err
	}
	today := s.today()
	err = s.read(ctx, func(tx Tx) error {
		if office {
			ws, err := tx.WorkingEntries(ctx, WorkFilter{ProviderID: a.DepartmentID, States: []State{Drafted, Returned}, Limit: 500})
			if err != nil {
				return err
			}
			for _, w := range ws {
				it := todo.Item{Kind: "catalog.draft", ObjectType: "catalog_entry", ObjectID: w.Head.ID, Title: w.Version.Name}
				switch {
				case w.Head.State == Returned:
					it.Kind = "catalog.returned"
				case a.Has(access.OfficeHead) && ReadyToSubmit(w.Version.Assessments) == nil:
					it.Kind = "catalog.approve"
				}
				out = append(out, it)
			}
			os, err := tx.Obligations(ctx, ObligationFilter{ProviderID: a.DepartmentID, OpenOnly: true, Limit: 500})
			if err != nil {
				return err
			}
			for _, o := range os {
				it := todo.Item{Kind: "catalog.update", ObjectType: "catalog_obligation", ObjectID: o.ID, Title: o.EntryName}
				todo.Left(cal, &it, o.Due, o.Rule, today)
				out = append(out, it)
			}
		}
		if reviewer {
			ws, err := tx.WorkingEntries(ctx, WorkFilter{AuthorityID: a.DepartmentID, States: []State{Submitted}, Limit: 500})
			if err != nil {
				return err
			}
			for _, w := range ws {
				it := todo.Item{Kind: "catalog.review", ObjectType: "catalog_entry", ObjectID: w.Head.ID, Title: w.Version.Name}
				if r := w.Version.Review; r != nil {
					todo.Left(cal, &it, r.Due, r.Rule, today)
				}
				out = append(out, it)
			}
			os, err := tx.Obligations(ctx, ObligationFilter{AuthorityID: a.DepartmentID, OpenOnly: true, ExtensionState: ExtensionRequested, Limit: 500})
			if err != nil {
				return err
			}
			for _, o := range os {
				// The request must be answered before the period it would
				// extend runs out; that is its natural deadline.
				it := todo.Item{Kind: "catalog.extension", ObjectType: "catalog_obligation", ObjectID: o.ID, Title: o.EntryName}
				todo.Left(cal, &it, o.Due, o.Rule, today)
				out = append(out, it)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	todo.Sort(out)
	return out, nil
}
