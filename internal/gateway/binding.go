package gateway

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/grant"
	"github.com/govshare/govshare/internal/problem"
)

// A system's credentials are bound to its department and, once its office
// names them, to the grants it serves (issue #4: "credentials … bound to its
// department and grants"): a system whose Grants list is empty may use every
// grant of its department; one with a list only those. Binding lets an office
// that runs several systems keep each to its own purpose, so that a leaked
// key of one system does not open the others' data.

// MaxBoundGrants bounds a system's list of grants.
const MaxBoundGrants = 200

// GrantTx is what binding needs beyond Tx: the grants named.
type GrantTx interface {
	Grant(ctx context.Context, id string) (*grant.Grant, error)
}

// Binding names the grants a system may use; an empty list lifts the binding
// (every grant of the department).
type Binding struct {
	Grants  []string `json:"grants"`
	Version int64    `json:"version"`
}

// ErrNotBound refuses a call under a grant its system is not bound to.
var ErrNotBound = &problem.Error{Kind: problem.Forbidden, Code: "gateway.grant_not_bound", Title: "该应用系统未绑定此共享授权",
	Detail: "the calling system is bound to other grants of its department; its office may add this one (PUT /api/v1/systems/{id}/grants)"}

// MayUse reports whether the calling system may use the grant: its
// department's check (the grant's consumer) is the caller's, this is the
// system's own.
func (c Caller) MayUse(grantID string) bool {
	return len(c.Grants) == 0 || slices.Contains(c.Grants, grantID)
}

// BindGrants sets the grants a system may use. Each must be a grant of the
// system's department as consumer; the system's office does this under the
// version last read.
func (s *Service) BindGrants(ctx context.Context, a access.Actor, systemID string, in Binding) (System, error) {
	if in.Version <= 0 {
		return System{}, problem.Field("version", "system.version_required", "缺少版本号", "version (the version you last read) is required")
	}
	if len(in.Grants) > MaxBoundGrants {
		return System{}, problem.Fieldf("grants", "system.too_many", "绑定的共享授权过多", "at most %d grants", MaxBoundGrants)
	}
	ids := make([]string, 0, len(in.Grants))
	for i, id := range in.Grants {
		id = strings.TrimSpace(id)
		if id == "" {
			return System{}, problem.Field(fmt.Sprintf("grants[%d]", i), "system.required", "必填项不能为空", "a grant ID is required")
		}
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	action := "system.bind_grants"
	return s.command(ctx, a, systemID, in.Version, &action, func(sys *System) bool { return CanManage(a, sys) },
		func(tx Tx, sys *System, _ time.Time) error {
			gt, ok := tx.(GrantTx)
			if !ok {
				return fmt.Errorf("gateway: binding needs grants from the transaction")
			}
			for i, id := range ids {
				g, err := gt.Grant(ctx, id)
				if err != nil {
					return err
				}
				if g == nil || g.ConsumerID != sys.DepartmentID {
					return problem.Fieldf(fmt.Sprintf("grants[%d]", i), "system.grant_invalid", "不是本部门作为使用部门的共享授权",
						"grant %s is not a grant of the system's department", id)
				}
			}
			sys.Grants = ids
			return nil
		})
}
