package exchange

// ForgeCursor encodes a well-formed cursor of a grant, for tests of what the
// service does with cursors it never gave out.
func ForgeCursor(grantID string, changes bool, pin, after int64) string {
	c := cursor{owner: grantOwner(grantID), phase: Snapshot, pin: pin, after: after}
	if changes {
		c.phase = Changes
	}
	return c.encode()
}

// PushLease is how long one pusher holds a subscription per turn.
const PushLease = pushLease
