package calendar

// Step is one day of an explained count. Count is the number of working days
// counted so far including this day, or 0 when this day is not a working day.
type Step struct {
	Day
	Count int `json:"count"`
}

// Explain lists every day from the day after receipt to the due date
// inclusive, so that a deadline can be checked by reading it rather than
// trusted. The last step is the due date and its Count is n.
func (c *Calendar) Explain(receipt Date, n int) ([]Step, error) {
	due, err := c.Due(receipt, n)
	if err != nil {
		return nil, err
	}
	var steps []Step
	count := 0
	for d := receipt.AddDays(1); !due.Before(d); d = d.AddDays(1) {
		day, err := c.Day(d) // cannot fail: Due has visited every year on the way
		if err != nil {
			return nil, err
		}
		s := Step{Day: day}
		if day.Working {
			count++
			s.Count = count
		}
		steps = append(steps, s)
	}
	return steps, nil
}
