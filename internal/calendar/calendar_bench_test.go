package calendar

import (
	"testing"
	"time"
)

var (
	sinkDate     Date
	sinkDeadline Deadline
)

func BenchmarkDue(b *testing.B) {
	c := Builtin()
	receipt := Date{2026, time.September, 28} // crosses the National Day break
	for _, n := range []int{1, 10, 30} {
		b.Run(itoa(n)+"WD", func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				d, err := c.Due(receipt, n)
				if err != nil {
					b.Fatal(err)
				}
				sinkDate = d
			}
		})
	}
	b.Run("yearEnd30WD", func(b *testing.B) {
		// Crosses into the next year, exercising the year lookup.
		r := Date{2025, time.December, 1}
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			sinkDate, _ = c.Due(r, 30)
		}
	})
}

func BenchmarkDueAt(b *testing.B) {
	c := Builtin()
	receipt := time.Date(2026, 9, 28, 9, 30, 0, 0, time.UTC)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		d, err := c.DueAt(receipt, 10)
		if err != nil {
			b.Fatal(err)
		}
		sinkDeadline = d
	}
}
