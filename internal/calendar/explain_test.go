package calendar

import "testing"

func TestExplain(t *testing.T) {
	c := Builtin()
	for _, tc := range handCases {
		receipt := mustDate(t, tc.receipt)
		steps, err := c.Explain(receipt, tc.n)
		if err != nil {
			t.Fatal(err)
		}
		if len(steps) == 0 {
			t.Fatalf("Explain(%s, %d): no steps", tc.receipt, tc.n)
		}
		if first := steps[0].Date; first != receipt.AddDays(1) {
			t.Fatalf("Explain(%s, %d) starts on %s, want the day after receipt", tc.receipt, tc.n, first)
		}
		last := steps[len(steps)-1]
		if last.Date.String() != tc.want || last.Count != tc.n || !last.Working {
			t.Fatalf("Explain(%s, %d) ends with %+v, want working day %s count %d", tc.receipt, tc.n, last, tc.want, tc.n)
		}
		count := 0
		for i, s := range steps {
			if i > 0 && s.Date != steps[i-1].Date.AddDays(1) {
				t.Fatalf("step %d (%s) does not follow %s", i, s.Date, steps[i-1].Date)
			}
			ok, _ := c.IsWorkingDay(s.Date)
			if ok != s.Working {
				t.Fatalf("step %s Working = %v, calendar says %v", s.Date, s.Working, ok)
			}
			if s.Working {
				count++
				if s.Count != count {
					t.Fatalf("step %s Count = %d, want %d", s.Date, s.Count, count)
				}
			} else if s.Count != 0 {
				t.Fatalf("off day %s has Count %d, want 0", s.Date, s.Count)
			}
		}
	}
}

func TestExplainShowsKinds(t *testing.T) {
	// 2026-02-13 (Fri) + 2: the make-up Saturday, nine days of Spring
	// Festival, then Tuesday 24th.
	steps, err := Builtin().Explain(mustDate(t, "2026-02-13"), 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(steps) != 11 {
		t.Fatalf("%d steps, want 11", len(steps))
	}
	if s := steps[0]; s.Kind != KindMakeUpWorkday || s.Holiday != "春节" || s.Count != 1 {
		t.Fatalf("first step %+v", s)
	}
	for _, s := range steps[1:10] {
		if s.Kind != KindHoliday || s.Holiday != "春节" || s.Count != 0 {
			t.Fatalf("step %+v, want a Spring Festival holiday", s)
		}
	}
	if s := steps[10]; s.Date.String() != "2026-02-24" || s.Kind != KindWorkday || s.Count != 2 {
		t.Fatalf("last step %+v", s)
	}
}

func TestExplainUnknownYear(t *testing.T) {
	_, err := Builtin().Explain(mustDate(t, "2026-12-28"), 10)
	wantUnknownYear(t, err, 2027)
}
