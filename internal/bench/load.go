package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"time"

	"github.com/govshare/govshare/internal/gateway"
)

// The service-interface measurements can run their load generator in a
// process of its own (`govshare bench --load-process`), as wrk or hey
// would: the clients' goroutines then do not compete with the server's in
// one Go scheduler. That matters for a server that waits on fsync: a
// goroutine back from the disk waits for a processor behind every runnable
// goroutine of its process (README, Speed).

// LoadSpec is one measurement's load, all a load generator needs to make
// the calls: where, what, how many clients, for how long.
type LoadSpec struct {
	Name     string        `json:"name"`
	Workers  int           `json:"workers"`
	Duration time.Duration `json:"duration"`
	// Rate, when set, starts calls at this fixed rate (FixedRate) instead
	// of as fast as the workers go (Throughput).
	Rate float64 `json:"rate,omitempty"`
	// URL is called with the query of a random one of N people.
	URL string `json:"url"`
	N   int    `json:"n"`
	// GrantID, KeyID and Secret sign a gateway query; empty for a plain
	// call. ClockOffset is the platform's clock minus this machine's, for
	// the signature's timestamp.
	GrantID     string        `json:"grant_id,omitempty"`
	KeyID       string        `json:"key_id,omitempty"`
	Secret      string        `json:"secret,omitempty"`
	ClockOffset time.Duration `json:"clock_offset,omitempty"`
}

// LoadResult is what a load generator measured: Result for a throughput
// run, Latency for a fixed-rate one.
type LoadResult struct {
	Result  Result  `json:"result"`
	Latency Latency `json:"latency"`
}

// Op is the spec's call.
func (s LoadSpec) Op() func(*http.Client) error {
	if s.GrantID == "" {
		return plain(s.URL, s.N)
	}
	return func(c *http.Client) error {
		b, _ := json.Marshal(map[string]any{"grant_id": s.GrantID, "purpose": benchPurpose, "items": BenchAskedItems, "where": where(rand.IntN(s.N))})
		req, _ := http.NewRequest(http.MethodPost, s.URL, bytes.NewReader(b))
		req.Header.Set("Content-Type", "application/json")
		gateway.Sign(req, s.KeyID, s.Secret, b, time.Now().Add(s.ClockOffset), gateway.NewNonce())
		return post(c, req)
	}
}

// RunLoad generates the spec's load in this process.
func RunLoad(ctx context.Context, s LoadSpec) (LoadResult, error) {
	if s.Workers <= 0 || s.Duration <= 0 || s.N <= 0 || s.URL == "" {
		return LoadResult{}, fmt.Errorf("bench: load %q: workers, duration, n and url are required", s.Name)
	}
	if s.Rate > 0 {
		l, err := FixedRate(ctx, s.Name, s.Rate, s.Duration, s.Workers, s.Op())
		return LoadResult{Latency: l}, err
	}
	r, err := Throughput(ctx, s.Name, s.Duration, s.Workers, s.Op())
	return LoadResult{Result: r}, err
}

// Loader runs one measurement's load.
type Loader func(ctx context.Context, s LoadSpec) (LoadResult, error)

// InProcess generates the load in this process.
var InProcess Loader = RunLoad

// ChildProcess returns a Loader that runs `bin args...` for each
// measurement, the spec on its standard input (so the secret appears in no
// argument list), and reads the LoadResult it writes to standard output.
func ChildProcess(bin string, args ...string) Loader {
	return func(ctx context.Context, s LoadSpec) (LoadResult, error) {
		in, err := json.Marshal(s)
		if err != nil {
			return LoadResult{}, err
		}
		cmd := exec.CommandContext(ctx, bin, args...)
		cmd.Stdin = bytes.NewReader(in)
		cmd.Stderr = os.Stderr
		out, err := cmd.Output()
		if err != nil {
			return LoadResult{}, fmt.Errorf("bench: load generator for %q: %w", s.Name, err)
		}
		var r LoadResult
		if err := json.Unmarshal(out, &r); err != nil {
			return LoadResult{}, fmt.Errorf("bench: load generator for %q answered %q: %w", s.Name, out, err)
		}
		return r, nil
	}
}
