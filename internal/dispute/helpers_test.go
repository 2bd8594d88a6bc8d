package dispute_test

import (
	"errors"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/dispute"
	"github.com/govshare/govshare/internal/problem"
	"github.com/govshare/govshare/internal/todo"
)

func asProblem(err error, p **problem.Error) bool { return errors.As(err, p) }

func asField(err error) string {
	var p *problem.Error
	if errors.As(err, &p) {
		return p.Field
	}
	return ""
}

func (e *env) list(who string) []dispute.Dispute {
	e.t.Helper()
	ds, err := e.svc.List(e.ctx, e.actor(who), dispute.Filter{Limit: 500})
	if err != nil {
		e.t.Fatalf("%s lists: %v", who, err)
	}
	return ds
}

// actorOfDept is the office head account of a department.
func (e *env) actorOfDept(deptID string) access.Actor {
	e.t.Helper()
	for _, acc := range e.p.Accounts {
		if acc.Role == access.OfficeHead && e.p.Departments[acc.Department].ID == deptID {
			return e.actor(acc.Username)
		}
	}
	e.t.Fatalf("no office head in %s", deptID)
	return access.Actor{}
}

// todo is who's to-do item on dispute id, nil if none.
func (e *env) todo(who, id string) *todo.Item {
	e.t.Helper()
	items, err := e.svc.Todos(e.ctx, e.actor(who))
	if err != nil {
		e.t.Fatal(err)
	}
	for i := range items {
		if items[i].ObjectID == id {
			return &items[i]
		}
	}
	return nil
}
