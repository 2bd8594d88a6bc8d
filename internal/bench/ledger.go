package bench

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	"github.com/transparency-dev/merkle/proof"
	"golang.org/x/mod/sumdb/note"

	"github.com/govshare/govshare/internal/ledger"
	"github.com/govshare/govshare/internal/ledger/tlog"
	"github.com/govshare/govshare/internal/store"
)

// The tamper-evident ledger (issue #5): appending entries durably from
// concurrent writers, integrating them into the Merkle tree, verifying the
// whole ledger, and proving the inclusion of one entry.

// LedgerEvent is a plausible event of a busy node: a usage record written
// by a person of one of twenty departments, about a new object named by a
// UUIDv7 as the platform names them (so, like real ones, new objects sort
// after the old ones in the events' object index), with an SM3 digest.
// Its fields weigh what real ones do, and the acts of many departments
// interleave as they do on a shared node: each department's events sit
// apart in the events' department indexes, so a commit writes a page of
// each index for every department it carries.
func LedgerEvent(at time.Time, writer, n int) ledger.Event {
	dept := "0190c2a4-0000-7000-8000-0000000000" + strconv.Itoa(10+writer%20)
	return ledger.Event{
		At:                 at.UTC().Truncate(time.Microsecond),
		ActorID:            "0190c2a4-1111-7000-8000-0000000" + strconv.Itoa(10000+writer),
		DepartmentID:       dept,
		Action:             "usage_record.create",
		ObjectType:         "usage_record",
		ObjectID:           uuid.Must(uuid.NewV7()).String(),
		ObjectDepartmentID: dept,
		Digest:             "sm3:66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e" + strconv.Itoa(n%10),
	}
}

// LedgerAppendResult is a measurement of durable appends.
type LedgerAppendResult struct {
	Name     string
	Writers  int
	PerCall  int   // events per AppendEvents call
	Calls    int64 // acknowledged calls
	Entries  int64 // acknowledged events
	Elapsed  time.Duration
	P50, P99 time.Duration // time from a call to its acknowledgement
}

// PerSecond is the rate of acknowledged entries.
func (r LedgerAppendResult) PerSecond() float64 { return float64(r.Entries) / r.Elapsed.Seconds() }

func (r LedgerAppendResult) String() string {
	return fmt.Sprintf("%-34s %10d entries %12.1f entries/s  (%d writers, %d per call; ack p50 %s p99 %s)",
		r.Name, r.Entries, r.PerSecond(), r.Writers, r.PerCall, r.P50.Round(time.Microsecond), r.P99.Round(time.Microsecond))
}

// LedgerAppend runs writers goroutines for d, each calling
// s.AppendEvents with perCall events at a time and waiting for the
// acknowledgement, which comes only once the events are durable (the
// group committer's COMMIT under synchronous=FULL on SQLite). It checks
// that the numbers handed back are distinct and that the store holds
// exactly the events acknowledged.
func LedgerAppend(ctx context.Context, s *store.Store, name string, d time.Duration, writers, perCall int) (LedgerAppendResult, error) {
	if writers < 1 || perCall < 1 {
		return LedgerAppendResult{}, errors.New("bench: ledger append needs at least one writer and one event per call")
	}
	before, err := eventCount(ctx, s)
	if err != nil {
		return LedgerAppendResult{}, err
	}
	// As under `serve`, the indexer and the integrator run beside the
	// writers every second: the rate is sustained with sealing, not
	// bought by leaving it for later.
	env, err := NewLedgerEnv(s)
	if err != nil {
		return LedgerAppendResult{}, err
	}
	runCtx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	sealed := make(chan error, 1)
	go func() { sealed <- env.seal(runCtx) }()
	var (
		calls    atomic.Int64
		firstErr error
		once     sync.Once
		wg       sync.WaitGroup
		lat      = make([][]time.Duration, writers)
		seqs     = make([][]int64, writers)
	)
	start := time.Now()
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			evs := make([]ledger.Event, perCall)
			for n := 0; runCtx.Err() == nil; n++ {
				t := time.Now()
				for i := range evs {
					evs[i] = LedgerEvent(t, w, n*perCall+i)
				}
				// The call runs under ctx, not runCtx: a call in flight when
				// the time is up completes and is counted, as a command
				// would be.
				got, err := s.AppendEvents(ctx, evs)
				if err != nil {
					once.Do(func() { firstErr = err; cancel() })
					return
				}
				lat[w] = append(lat[w], time.Since(t))
				seqs[w] = append(seqs[w], got...)
				calls.Add(1)
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	cancel()
	if err := <-sealed; err != nil && firstErr == nil {
		firstErr = err
	}
	if firstErr != nil {
		return LedgerAppendResult{}, fmt.Errorf("bench: ledger append: %w", firstErr)
	}
	var all []int64
	var lats []time.Duration
	for w := range writers {
		all = append(all, seqs[w]...)
		lats = append(lats, lat[w]...)
	}
	r := LedgerAppendResult{Name: name, Writers: writers, PerCall: perCall, Calls: calls.Load(), Entries: int64(len(all)), Elapsed: elapsed}
	if r.Entries != r.Calls*int64(perCall) {
		return r, fmt.Errorf("bench: ledger append: %d numbers for %d calls of %d", r.Entries, r.Calls, perCall)
	}
	slices.Sort(all)
	for i, seq := range all {
		if seq != before+int64(i)+1 {
			return r, fmt.Errorf("bench: ledger append: acknowledged numbers are not %d..%d without gaps (found %d at %d)", before+1, before+r.Entries, seq, i)
		}
	}
	after, err := eventCount(ctx, s)
	if err != nil {
		return r, err
	}
	if after-before != r.Entries {
		return r, fmt.Errorf("bench: ledger append: %d events acknowledged, %d stored", r.Entries, after-before)
	}
	slices.Sort(lats)
	r.P50, r.P99 = percentile(lats, 0.50), percentile(lats, 0.99)
	return r, nil
}

func eventCount(ctx context.Context, s *store.Store) (int64, error) {
	var n int64
	err := s.Read(ctx, func(tx *store.Tx) (err error) { n, err = tx.EventCount(ctx); return err })
	return n, err
}

// LedgerEnv is a store with a tree service signing with a fresh key.
type LedgerEnv struct {
	Store    *store.Store
	Tree     *ledger.Tree
	Verifier note.Verifier
}

// NewLedgerEnv sets up the tree over s with the node's default hash and
// key algorithms (SM3, SM2).
func NewLedgerEnv(s *store.Store) (*LedgerEnv, error) {
	key, err := tlog.GenerateKey(tlog.DefaultKeyAlgorithm)
	if err != nil {
		return nil, err
	}
	const name = "govshare-bench"
	signer, err := tlog.NewSigner(name, key)
	if err != nil {
		return nil, err
	}
	v, err := tlog.NewVerifier(name, key.Public())
	if err != nil {
		return nil, err
	}
	tree := ledger.NewTree(store.Adapt[ledger.TreeTx](s.Write), store.Adapt[ledger.TreeTx](s.Read), time.Now,
		ledger.TreeConfig{Origin: "govshare/bench", Signer: signer, PublicKey: key.Public()})
	return &LedgerEnv{Store: s, Tree: tree, Verifier: v}, nil
}

// seal indexes and integrates every second until ctx ends, as serve's
// integrator does.
func (e *LedgerEnv) seal(ctx context.Context) error {
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
		if _, err := e.Store.IndexEvents(ctx); err != nil && ctx.Err() == nil {
			return fmt.Errorf("bench: index: %w", err)
		}
		if _, err := e.Tree.Integrate(ctx); err != nil && ctx.Err() == nil {
			return fmt.Errorf("bench: integrate: %w", err)
		}
	}
}

// Generate appends n events, perCall to a call, as fast as the store takes
// them.
func (e *LedgerEnv) Generate(ctx context.Context, n, perCall int) error {
	at := time.Date(2026, 6, 15, 9, 0, 0, 0, time.UTC)
	evs := make([]ledger.Event, 0, perCall)
	for done := 0; done < n; {
		evs = evs[:0]
		for i := 0; i < perCall && done+i < n; i++ {
			evs = append(evs, LedgerEvent(at.Add(time.Duration(done+i)*time.Millisecond), (done+i)%16, done+i))
		}
		if _, err := e.Store.AppendEvents(ctx, evs); err != nil {
			return fmt.Errorf("bench: generate ledger: %w", err)
		}
		done += len(evs)
	}
	return nil
}

// Verify runs ledger.Verify over one read transaction.
func (e *LedgerEnv) Verify(ctx context.Context) (ledger.Report, error) {
	var r ledger.Report
	err := e.Store.Read(ctx, func(tx *store.Tx) (err error) {
		r, err = ledger.Verify(ctx, tx, e.Verifier, nil)
		return err
	})
	return r, err
}

// InclusionLatency asks for the inclusion proofs of samples random entries
// of the latest tree, one after another, and returns the sorted latencies.
// Every proof is checked against the signed root afterwards, outside the
// timing.
func (e *LedgerEnv) InclusionLatency(ctx context.Context, samples int, seed uint64) ([]time.Duration, error) {
	st, err := e.Tree.Latest(ctx)
	if err != nil {
		return nil, err
	}
	if st.Size == 0 {
		return nil, errors.New("bench: inclusion: the tree is empty")
	}
	cp, err := tlog.Open(st.Checkpoint, e.Verifier)
	if err != nil {
		return nil, err
	}
	hasher, err := tlog.HasherFor(st.Algorithm)
	if err != nil {
		return nil, err
	}
	rnd := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	lat := make([]time.Duration, samples)
	proofs := make([]ledger.InclusionProof, samples)
	for i := range samples {
		seq := 1 + rnd.Int64N(int64(st.Size))
		t := time.Now()
		p, err := e.Tree.Inclusion(ctx, seq, 0)
		lat[i] = time.Since(t)
		if err != nil {
			return nil, fmt.Errorf("bench: inclusion of %d: %w", seq, err)
		}
		proofs[i] = p
	}
	for _, p := range proofs {
		if err := proof.VerifyInclusion(hasher, uint64(p.Seq-1), p.Size, p.LeafHash, p.Hashes, cp.Root); err != nil {
			return nil, fmt.Errorf("bench: inclusion proof of %d does not verify: %w", p.Seq, err)
		}
	}
	slices.Sort(lat)
	return lat, nil
}

// LedgerResult is the measurement of a ledger of Entries entries: how
// long they took to append and to integrate, how long verifying all of
// them took, and the inclusion proof latency.
type LedgerResult struct {
	Name      string
	Entries   int
	PerCall   int
	Generate  time.Duration
	Integrate time.Duration
	Verify    time.Duration
	Report    ledger.Report
	Proofs    int
	P50, P99  time.Duration
	ProofsMax time.Duration
}

func rate(n int, d time.Duration) float64 { return float64(n) / d.Seconds() }

func (r LedgerResult) String() string {
	return fmt.Sprintf("%-34s %10d entries %12.1f entries/s  (%s, %d per call)\n"+
		"%-34s %10d entries %12.1f entries/s  (%s)\n"+
		"%-34s %10d entries %12.1f entries/s  (%s, %d checkpoints matched)\n"+
		"%-34s %10d proofs   p50 %8s  p99 %8s  max %8s",
		"ledger generate ("+r.Name+")", r.Entries, rate(r.Entries, r.Generate), r.Generate.Round(time.Millisecond), r.PerCall,
		"ledger integrate ("+r.Name+")", r.Entries, rate(r.Entries, r.Integrate), r.Integrate.Round(time.Millisecond),
		"ledger verify ("+r.Name+")", r.Entries, rate(r.Entries, r.Verify), r.Verify.Round(time.Millisecond), len(r.Report.Checkpoints),
		"ledger inclusion proof ("+r.Name+")", r.Proofs, r.P50.Round(time.Microsecond), r.P99.Round(time.Microsecond), r.ProofsMax.Round(time.Microsecond))
}

// LedgerVerify generates n entries on an empty ledger in s, perCall to an
// AppendEvents call, integrates them into the tree, verifies the whole
// ledger and asks for the inclusion proofs of proofs random entries. It fails
// if verification finds anything or a proof does not verify.
func LedgerVerify(ctx context.Context, s *store.Store, name string, n, perCall, proofs int) (LedgerResult, error) {
	r := LedgerResult{Name: name, Entries: n, PerCall: perCall, Proofs: proofs}
	e, err := NewLedgerEnv(s)
	if err != nil {
		return r, err
	}
	before, err := eventCount(ctx, s)
	if err != nil {
		return r, err
	}
	if before != 0 {
		return r, fmt.Errorf("bench: ledger verify needs an empty ledger, found %d events", before)
	}
	t := time.Now()
	if err := e.Generate(ctx, n, perCall); err != nil {
		return r, err
	}
	r.Generate = time.Since(t)
	t = time.Now()
	st, err := e.Tree.Integrate(ctx)
	if err != nil {
		return r, fmt.Errorf("bench: integrate: %w", err)
	}
	r.Integrate = time.Since(t)
	if st.Size != uint64(n) {
		return r, fmt.Errorf("bench: integrated %d of %d entries", st.Size, n)
	}
	t = time.Now()
	rep, err := e.Verify(ctx)
	if err != nil {
		return r, fmt.Errorf("bench: verify: %w", err)
	}
	r.Verify, r.Report = time.Since(t), rep
	if !rep.OK() || rep.Entries != int64(n) || rep.TreeSize != uint64(n) || len(rep.Checkpoints) == 0 {
		return r, fmt.Errorf("bench: verify of an untouched ledger: %d entries, tree %d, checkpoints %v, findings %v",
			rep.Entries, rep.TreeSize, rep.Checkpoints, rep.Findings)
	}
	if proofs > 0 {
		lat, err := e.InclusionLatency(ctx, proofs, 2026)
		if err != nil {
			return r, err
		}
		r.P50, r.P99, r.ProofsMax = percentile(lat, 0.50), percentile(lat, 0.99), lat[len(lat)-1]
	}
	return r, nil
}
