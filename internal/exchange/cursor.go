package exchange

import (
	"encoding/base64"
	"encoding/hex"
	"strconv"
	"strings"

	"github.com/emmansun/gmsm/sm3"

	"github.com/govshare/govshare/internal/problem"
)

// Phase is which part of a transfer a page belongs to.
type Phase string

const (
	// Snapshot pages the live rows at or below the pin.
	Snapshot Phase = "snapshot"
	// Changes pages the change feed after a change number.
	Changes Phase = "changes"
)

// cursor is where the next page starts. It names its owner (a grant or a
// subscription) so that it cannot be used on another, and carries only
// change numbers: no key or value of a row, since cursors are stored and
// logged.
type cursor struct {
	owner string // "g:<grant id>" or "s:<subscription id>"
	phase Phase
	pin   int64 // the change number the snapshot is pinned to
	after int64 // snapshot: the last row's change number; changes: the last change shown
}

const cursorLabel = "govshare/exchange-cursor/v1\n"

// tag is the cursor's integrity check: the first 8 bytes of SM3 over a
// label and the payload. It has no key: it catches a cursor altered by hand
// or by a broken client, while what any cursor can reach is bounded by the
// grant or subscription it is checked against, never by the cursor itself.
func tag(payload string) string {
	sum := sm3.Sum([]byte(cursorLabel + payload))
	return hex.EncodeToString(sum[:8])
}

func (c cursor) encode() string {
	p := "v1." + c.owner + "." + string(c.phase[0]) + "." + strconv.FormatInt(c.pin, 10) + "." + strconv.FormatInt(c.after, 10)
	return base64.RawURLEncoding.EncodeToString([]byte(p + "." + tag(p)))
}

func grantOwner(id string) string        { return "g:" + id }
func subscriptionOwner(id string) string { return "s:" + id }

var errCursorInvalid = problem.Field("cursor", "exchange.cursor_invalid", "游标无效",
	"the cursor is not one this platform gave out, or it was altered; resume from the last cursor received, or omit it to start a new snapshot")

var errCursorForeign = problem.Field("cursor", "exchange.cursor_foreign", "游标不属于该授权或订阅",
	"the cursor was given out for another grant or subscription")

// maxCursorLen bounds what is decoded: a real cursor is under 200 bytes.
const maxCursorLen = 512

// decodeCursor reads s for owner; "" is the start of a new snapshot, which
// the caller pins.
func decodeCursor(s, owner string) (cursor, bool, error) {
	if s == "" {
		return cursor{}, false, nil
	}
	if len(s) > maxCursorLen {
		return cursor{}, false, errCursorInvalid
	}
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return cursor{}, false, errCursorInvalid
	}
	parts := strings.Split(string(raw), ".")
	if len(parts) != 6 || parts[0] != "v1" {
		return cursor{}, false, errCursorInvalid
	}
	payload := strings.Join(parts[:5], ".")
	if tag(payload) != parts[5] {
		return cursor{}, false, errCursorInvalid
	}
	c := cursor{owner: parts[1]}
	switch parts[2] {
	case "s":
		c.phase = Snapshot
	case "c":
		c.phase = Changes
	default:
		return cursor{}, false, errCursorInvalid
	}
	if c.pin, err = strconv.ParseInt(parts[3], 10, 64); err != nil || c.pin < 0 {
		return cursor{}, false, errCursorInvalid
	}
	if c.after, err = strconv.ParseInt(parts[4], 10, 64); err != nil || c.after < 0 {
		return cursor{}, false, errCursorInvalid
	}
	if c.phase == Snapshot && c.after > c.pin {
		return cursor{}, false, errCursorInvalid
	}
	if c.owner != owner {
		return cursor{}, false, errCursorForeign
	}
	return c, true, nil
}
