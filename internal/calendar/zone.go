package calendar

import (
	"time"

	// The deadline instant must not depend on whether the host has tzdata
	// installed (minimal containers often do not), so the database is
	// compiled into every binary that uses this package.
	_ "time/tzdata"
)

// Shanghai is the Asia/Shanghai time zone (Beijing time), in which receipt
// days and deadlines are reckoned.
var Shanghai = loadShanghai()

func loadShanghai() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		// China has used UTC+8 without daylight saving since 1991, so a
		// fixed zone gives the same answers for every date we handle.
		return time.FixedZone("CST", 8*3600)
	}
	return loc
}
