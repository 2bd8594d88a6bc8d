package delivery

import (
	"fmt"
	"testing"
	"time"
)

func TestBucket(t *testing.T) {
	t0 := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	b := newBucket(4, t0)
	for i := 0; i < 4; i++ {
		if !b.take(t0) {
			t.Fatalf("call %d of a full bucket of 4 refused", i+1)
		}
	}
	if b.take(t0) {
		t.Fatal("a fifth call in the same instant was let through")
	}
	if n, full, next := b.state(t0); n != 0 || full != time.Second || next != 250*time.Millisecond {
		t.Fatalf("empty bucket: %d left, full in %v, next in %v", n, full, next)
	}
	if !b.take(t0.Add(250*time.Millisecond)) || b.take(t0.Add(250*time.Millisecond)) {
		t.Fatal("a quarter second refills exactly one call of four a second")
	}
	if n, _, _ := b.state(t0.Add(time.Hour)); n != 4 {
		t.Fatalf("a bucket holds at most its rate: %d", n)
	}
	if b.take(t0.Add(-time.Hour)); b.at.Before(t0) {
		t.Fatal("a clock that went back moved the bucket's time back")
	}
}

func TestRefusalSampler(t *testing.T) {
	var r refusalSampler
	t0 := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	for i := 0; i < refusalsPerSource; i++ {
		if !r.admit("addr 192.0.2.1", t0) {
			t.Fatalf("refusal %d of one source not admitted", i+1)
		}
	}
	if r.admit("addr 192.0.2.1", t0.Add(30*time.Second)) {
		t.Fatal("one source got more than refusalsPerSource records in a minute")
	}
	if !r.admit("addr 192.0.2.1", t0.Add(time.Minute)) {
		t.Fatal("a new minute did not admit the source again")
	}
	// A flood from many sources is capped as a whole.
	admitted := 0
	for i := 0; i < 2*refusalsPerWindow; i++ {
		if r.admit(fmt.Sprintf("addr 198.51.100.%d", i), t0.Add(time.Minute)) {
			admitted++
		}
	}
	if admitted != refusalsPerWindow-1 || len(r.count) > refusalsPerWindow {
		t.Fatalf("admitted %d of a flood (map %d), want %d", admitted, len(r.count), refusalsPerWindow-1)
	}
	if got := r.dropped.Load(); got != uint64(1+2*refusalsPerWindow-admitted) {
		t.Fatalf("dropped %d", got)
	}
}
