package tlog

import (
	"bytes"
	"encoding/json"
	"time"
)

// Entry is one ledger entry as it is hashed into the tree: who acted, on
// behalf of which department, what they did, to which object, when, and the
// digest of the object after the change.
//
// The entry's position (sequence number) is deliberately not part of it. As
// in RFC 6962 the index of a leaf is its position in the tree, so a verifier
// comparing leaves can tell an entry that was removed or moved (its bytes turn
// up elsewhere, or not at all) from one whose content was altered.
type Entry struct {
	At                 time.Time // UTC, microsecond precision (PostgreSQL keeps microseconds)
	ActorID            string
	DepartmentID       string
	Action             string
	ObjectType         string
	ObjectID           string
	ObjectDepartmentID string
	Digest             string
}

// entryHeader names the leaf format and its version, so a future format can
// never produce the same bytes as this one.
const entryHeader = "govshare-ledger-entry/v1\n"

// entryTimeLayout always writes six fractional digits and a literal Z; the
// time is in UTC by then.
const entryTimeLayout = "2006-01-02T15:04:05.000000Z"

// leafJSON fixes the key names and, through declaration order, the key order
// of the JSON object. Changing it changes every leaf: it is the wire format.
type leafJSON struct {
	At                 string `json:"at"`
	ActorID            string `json:"actor_id"`
	DepartmentID       string `json:"department_id"`
	Action             string `json:"action"`
	ObjectType         string `json:"object_type"`
	ObjectID           string `json:"object_id"`
	ObjectDepartmentID string `json:"object_department_id"`
	Digest             string `json:"digest"`
}

// Leaf returns the canonical leaf bytes of e, the input to the tree hasher's
// HashLeaf. The format is described in the package documentation.
//
// At is truncated to microseconds and converted to UTC here rather than by
// callers: a time read back from the database must give the same bytes as
// the time that was written, whatever zone or precision the caller held.
func (e Entry) Leaf() []byte {
	var b bytes.Buffer
	b.WriteString(entryHeader)
	enc := json.NewEncoder(&b)
	// Fewer escapes make the format easier to re-implement exactly.
	enc.SetEscapeHTML(false)
	err := enc.Encode(leafJSON{
		At:                 e.At.UTC().Truncate(time.Microsecond).Format(entryTimeLayout),
		ActorID:            e.ActorID,
		DepartmentID:       e.DepartmentID,
		Action:             e.Action,
		ObjectType:         e.ObjectType,
		ObjectID:           e.ObjectID,
		ObjectDepartmentID: e.ObjectDepartmentID,
		Digest:             e.Digest,
	})
	if err != nil {
		// A struct of strings always encodes; failing here means the
		// encoder itself broke, and no leaf is better than a wrong one.
		panic("tlog: encoding ledger entry: " + err.Error())
	}
	// Encode ends the object with a newline, which is not part of the leaf.
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}
