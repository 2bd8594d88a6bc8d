package bench

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"time"
)

// Latency is an open-loop measurement: calls started at a fixed rate,
// whatever the answers' pace, each timed from its scheduled start, so a
// stall shows in the figures instead of slowing the load (no coordinated
// omission).
type Latency struct {
	Name     string
	Rate     float64 // calls a second asked for
	Calls    int
	Elapsed  time.Duration
	P50, P99 time.Duration
}

func (l Latency) String() string {
	return fmt.Sprintf("%-34s %10.0f/s asked %8.0f/s done  p50 %8s  p99 %8s", l.Name, l.Rate,
		float64(l.Calls)/l.Elapsed.Seconds(), l.P50.Round(10*time.Microsecond), l.P99.Round(10*time.Microsecond))
}

// FixedRate starts op rate times a second for d from a pool of workers,
// each with its own keep-alive client, and reports the latency quantiles.
func FixedRate(ctx context.Context, name string, rate float64, d time.Duration, workers int, op func(*http.Client) error) (Latency, error) {
	n := int(rate * d.Seconds())
	if rate <= 0 || n == 0 {
		return Latency{}, fmt.Errorf("bench: %s: no calls at %.1f/s for %s", name, rate, d)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	due := make(chan time.Time, n)
	lat := make([][]time.Duration, workers)
	var firstErr error
	var once sync.Once
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
			defer c.CloseIdleConnections()
			for at := range due {
				if ctx.Err() != nil {
					continue // drain
				}
				if err := op(c); err != nil {
					once.Do(func() { firstErr = err; cancel() })
					continue
				}
				lat[w] = append(lat[w], time.Since(at))
			}
		}()
	}
	start := time.Now()
	interval := time.Duration(float64(time.Second) / rate)
	for i := range n {
		at := start.Add(time.Duration(i) * interval)
		if wait := time.Until(at); wait > 0 {
			time.Sleep(wait)
		}
		if ctx.Err() != nil {
			break
		}
		due <- at
	}
	close(due)
	wg.Wait()
	elapsed := time.Since(start)
	all := slices.Concat(lat...)
	if firstErr != nil {
		return Latency{}, firstErr
	}
	slices.Sort(all)
	q := func(p float64) time.Duration { return all[min(len(all)-1, int(p*float64(len(all))))] }
	return Latency{Name: name, Rate: rate, Calls: len(all), Elapsed: elapsed, P50: q(0.50), P99: q(0.99)}, nil
}

// GatewayReport holds the service-interface figures of one engine.
type GatewayReport struct {
	Engine          string
	Direct, Proxied Result
	// DirectAt and ProxiedAt are the latencies at half the proxied peak.
	DirectAt, ProxiedAt Latency
	Bare, Hosted        Result
}

// ProxiedRatio is the gateway's proxied throughput over the direct one
// (target ≥ 0.60).
func (r GatewayReport) ProxiedRatio() float64 { return r.Proxied.PerSecond() / r.Direct.PerSecond() }

// AddedP99 is what the gateway adds at p99 at half its peak (target < 5 ms).
func (r GatewayReport) AddedP99() time.Duration { return r.ProxiedAt.P99 - r.DirectAt.P99 }

// HostedRatio is the gateway's hosted lookups over the bare server's
// (target ≥ 0.70, and ≥ 10,000/s on 2 cores).
func (r GatewayReport) HostedRatio() float64 { return r.Hosted.PerSecond() / r.Bare.PerSecond() }

// Print writes the figures and the ratios against the targets.
func (r GatewayReport) Print(w io.Writer) {
	for _, x := range []fmt.Stringer{r.Direct, r.Proxied, r.DirectAt, r.ProxiedAt, r.Bare, r.Hosted} {
		fmt.Fprintln(w, x)
	}
	fmt.Fprintf(w, "  proxied/direct throughput          %5.0f%%   (target ≥ 60%%)\n", 100*r.ProxiedRatio())
	fmt.Fprintf(w, "  added p99 at %.0f/s                 %8s   (target < 5ms; p50 added %s)\n", r.ProxiedAt.Rate,
		r.AddedP99().Round(10*time.Microsecond), (r.ProxiedAt.P50 - r.DirectAt.P50).Round(10*time.Microsecond))
	fmt.Fprintf(w, "  hosted/bare throughput             %5.0f%%   (target ≥ 70%%; hosted %.0f/s, target ≥ 10,000/s on 2 cores)\n",
		100*r.HostedRatio(), r.Hosted.PerSecond())
}

// Run measures everything once: peak throughput of direct and proxied calls
// with workers clients each for d, then both at half the proxied peak for
// d, then bare and hosted lookups at peak. load generates each
// measurement's calls (InProcess, or ChildProcess for a load generator of
// its own).
func (g *Gateway) Run(ctx context.Context, engine string, d time.Duration, workers int, load Loader) (GatewayReport, error) {
	r := GatewayReport{Engine: engine}
	throughput := func(call, name string, d time.Duration) (Result, error) {
		s := g.Spec(call, d, workers)
		s.Name = name
		lr, err := load(ctx, s)
		if err != nil {
			return Result{}, fmt.Errorf("bench %s: %w", name, err)
		}
		return lr.Result, nil
	}
	// Warm up first, unmeasured: the upstream's table (hundreds of MB) and
	// the hosted dataset must be in the page cache, or whichever step runs
	// first pays for reading them from disk and the ratios mean nothing.
	warm := min(d, 3*time.Second)
	for _, call := range []string{CallDirect, CallProxied, CallBare, CallHosted} {
		if _, err := throughput(call, "warm-up", warm); err != nil {
			return r, err
		}
	}
	var err error
	if r.Direct, err = throughput(CallDirect, CallDirect, d); err != nil {
		return r, err
	}
	if r.Proxied, err = throughput(CallProxied, CallProxied+" ("+engine+")", d); err != nil {
		return r, err
	}
	half := r.Proxied.PerSecond() / 2
	fixed := func(call, name string) (Latency, error) {
		s := g.Spec(call, d, max(64, 8*workers))
		s.Name, s.Rate = name, half
		lr, err := load(ctx, s)
		if err != nil {
			return Latency{}, fmt.Errorf("bench %s: %w", name, err)
		}
		return lr.Latency, nil
	}
	if r.DirectAt, err = fixed(CallDirect, "upstream direct, fixed rate"); err != nil {
		return r, err
	}
	if r.ProxiedAt, err = fixed(CallProxied, "proxied via gateway, fixed rate"); err != nil {
		return r, err
	}
	if r.Bare, err = throughput(CallBare, CallBare, d); err != nil {
		return r, err
	}
	if r.Hosted, err = throughput(CallHosted, CallHosted+" ("+engine+")", d); err != nil {
		return r, err
	}
	return r, nil
}
