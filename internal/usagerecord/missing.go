package usagerecord

import (
	"context"
	"time"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/grant"
	"github.com/govshare/govshare/internal/problem"
	"github.com/govshare/govshare/internal/todo"
)

// MissingInterval is how long a delivered grant may go without a usage
// record before its consumer is prompted: Art. 29 sets no period, so the
// platform asks for a record at least once a quarter while the data is in
// use, and once more after the grant has ended (its disposal, 销毁情况).
const MissingInterval = 90 * 24 * time.Hour

// TodoMissing is the to-do item of a consumer's office for a grant missing
// records.
const TodoMissing = "usage_record.missing"

// maxTodo bounds the items one to-do list takes from this domain.
const maxTodo = 500

// Missing is a delivered grant without a usage record in the last
// MissingInterval.
type Missing struct {
	GrantID       string      `json:"grant_id"`
	ApplicationID string      `json:"application_id"`
	EntryName     string      `json:"entry_name"`
	ConsumerID    string      `json:"consumer_id"`
	ProviderID    string      `json:"provider_id"`
	State         grant.State `json:"state"`
	ValidUntil    string      `json:"valid_until"`
	ExpiresAt     time.Time   `json:"expires_at"`
	DeliveredAt   time.Time   `json:"delivered_at"`
	// LastRecordedAt is when the grant's newest revision was written; nil
	// when it has none.
	LastRecordedAt *time.Time `json:"last_recorded_at"`
}

// MissingFilter is a listing of grants missing records. A grant counts when
// its application was delivered (application.MarkDelivered), its delivery
// ends or ended after Since (grant.EndsAt: expiry, termination or disposal
// while active; in any state, disposed included), and no revision of its
// records was created at or after Since.
type MissingFilter struct {
	Scope access.Scope // the grants' consumers, as access.ListScope gives it
	Since time.Time    // now - MissingInterval
	After string       // grant ID
	Limit int
}

// MissingRecords lists the grants missing records that a may see: its own
// department's as consumer for a sharing office, those of consumers in its
// region for authority reviewers and auditors, all for admins.
func (s *Service) MissingRecords(ctx context.Context, a access.Actor, after string, limit int) ([]Missing, error) {
	scope, ok := access.ListScope(a)
	if !ok {
		return nil, problem.ErrForbidden
	}
	now := s.now()
	out, err := s.missing(ctx, MissingFilter{Scope: scope, Since: now.Add(-MissingInterval), After: after, Limit: limit}, now)
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (s *Service) missing(ctx context.Context, f MissingFilter, now time.Time) ([]Missing, error) {
	var out []Missing
	if err := s.read(ctx, func(tx Tx) (err error) { out, err = tx.MissingUsageRecords(ctx, f); return err }); err != nil {
		return nil, err
	}
	for i := range out {
		out[i].State = grant.Grant{State: out[i].State, ExpiresAt: out[i].ExpiresAt}.StateAt(now)
	}
	return out, nil
}

// Todos lists, for a consumer's sharing office, the grants of its department
// that miss usage records; undated, since the law sets no deadline.
func (s *Service) Todos(ctx context.Context, a access.Actor) ([]todo.Item, error) {
	items := []todo.Item{}
	if !a.InOffice(a.DepartmentID) {
		return items, nil
	}
	now := s.now()
	ms, err := s.missing(ctx, MissingFilter{Scope: access.Scope{DepartmentID: a.DepartmentID}, Since: now.Add(-MissingInterval), Limit: maxTodo}, now)
	if err != nil {
		return nil, err
	}
	for _, m := range ms {
		items = append(items, todo.Item{Kind: TodoMissing, ObjectType: "grant", ObjectID: m.GrantID, Title: "待填写数据使用记录：" + m.EntryName})
	}
	return items, nil
}
