package catalog_test

import (
	"errors"
	"time"

	"github.com/govshare/govshare/internal/calendar"
)

func errorsAs(err error, target any) bool { return errors.As(err, target) }

func calendarDate(t time.Time) calendar.Date { return calendar.DateOf(t) }
