// Package ledger records every act on the platform: who, on behalf of which
// department, did what to which object, when, and a digest of the object after
// the change. Each command appends its event in the same transaction as its
// change, so an act and its record are committed or lost together. Events are
// numbered without gaps in commit order; the tamper-evident tree is built over
// exactly that sequence, so no second log is needed.
package ledger

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/emmansun/gmsm/sm3"

	"github.com/govshare/govshare/internal/access"
)

// Event is one recorded act.
type Event struct {
	Seq          int64     `json:"seq"`
	At           time.Time `json:"at"`
	ActorID      string    `json:"actor_id"`
	DepartmentID string    `json:"department_id,omitempty"`
	Action       string    `json:"action"`      // e.g. "department.create"
	ObjectType   string    `json:"object_type"` // e.g. "department"
	ObjectID     string    `json:"object_id"`
	// ObjectDepartmentID is the department the object belongs to, when it is
	// not the actor's own: an admin naming a department's office head is an act
	// that department and its supervisors must be able to read.
	ObjectDepartmentID string `json:"object_department_id,omitempty"`
	Digest             string `json:"digest"` // "sm3:" + hex of SM3 over the object's JSON after the change
}

// New builds the event for an act by actor on object (the object's state after
// the change, as the API shows it). Seq is assigned when the event is appended.
func New(at time.Time, actor access.Actor, action, objectType, objectID string, object any) (Event, error) {
	d, err := Digest(object)
	if err != nil {
		return Event{}, err
	}
	return Event{
		At:           at.UTC().Truncate(time.Microsecond), // PostgreSQL keeps microseconds; both engines must hold the same instant
		ActorID:      actor.PersonID,
		DepartmentID: actor.DepartmentID,
		Action:       action,
		ObjectType:   objectType,
		ObjectID:     objectID,
		Digest:       d,
	}, nil
}

// Digest returns "sm3:<hex>" over the JSON encoding of object. encoding/json
// writes struct fields in declaration order and map keys sorted, so the same
// object always gives the same digest.
func Digest(object any) (string, error) {
	b, err := json.Marshal(object)
	if err != nil {
		return "", fmt.Errorf("ledger: encode object for digest: %w", err)
	}
	sum := sm3.Sum(b)
	return "sm3:" + hex.EncodeToString(sum[:]), nil
}

// Appender is the part of a transaction that takes events.
type Appender interface {
	AppendEvent(ctx context.Context, e Event) (int64, error)
}

// Object names what an act was done to: its type, its ID and the department
// it belongs to ("" when it belongs to none, like a division).
type Object struct {
	Type, ID, DepartmentID string
}

// Record appends the event of an act on o to tx, the transaction of the act
// itself; state is o after the change.
func Record(ctx context.Context, tx Appender, at time.Time, actor access.Actor, action string, o Object, state any) error {
	e, err := New(at, actor, action, o.Type, o.ID, state)
	if err != nil {
		return err
	}
	e.ObjectDepartmentID = o.DepartmentID
	_, err = tx.AppendEvent(ctx, e)
	return err
}
