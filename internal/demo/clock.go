package demo

import (
	"sync"
	"time"
)

// HistoryStart is when the demo province's history begins when `govshare
// demo` loads it: a working day in a year whose holiday notice the binary
// ships, so that every statutory deadline of the demo's history (20 working
// days after an approval, say) can be counted whatever the day the demo is
// started, and grants given then are still running today.
var HistoryStart = ReferenceTime

// Clock is the demo's clock: while the province loads it reads the history's
// time (HistoryStart, advancing with the real time elapsed, so acts keep
// their order), afterwards the real time. A delivery made at load closes
// its obligation on time; one left undelivered is overdue today, as it
// would be.
type Clock struct {
	mu      sync.Mutex
	history bool
	start   time.Time // when the history began on the real clock
}

// Now is the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.history {
		return HistoryStart.Add(time.Since(c.start))
	}
	return time.Now()
}

// History turns the clock back to HistoryStart until the returned function
// is called.
func (c *Clock) History() (done func()) {
	c.mu.Lock()
	c.history, c.start = true, time.Now()
	c.mu.Unlock()
	return func() {
		c.mu.Lock()
		c.history = false
		c.mu.Unlock()
	}
}
