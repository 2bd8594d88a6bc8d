package delivery

import (
	"context"
	"errors"
	"math"
	"sync"
	"time"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/application"
	"github.com/govshare/govshare/internal/calendar"
	"github.com/govshare/govshare/internal/gateway"
	"github.com/govshare/govshare/internal/grant"
	"github.com/govshare/govshare/internal/ledger"
	"github.com/govshare/govshare/internal/problem"
)

// The refusals of the grant's limits (429, with Retry-After).
var (
	errRateLimited = &problem.Error{Kind: problem.TooManyRequests, Code: "gateway.rate_limited", Title: "调用过于频繁，请稍后重试",
		Detail: "the grant's calls per second are exceeded; retry after the Retry-After seconds"}
	errQuotaExhausted = &problem.Error{Kind: problem.TooManyRequests, Code: "gateway.quota_exhausted", Title: "今日调用次数已用完",
		Detail: "the grant's calls for today (Beijing time) are used up; the quota renews at midnight"}
)

// Allowance is what the caller may still do under the grant, for the
// answer's headers: the per-second bucket (RateLimit-Limit, -Remaining,
// -Reset) and the day's quota (X-Quota-Limit, -Remaining). Known is false
// when the call named no grant of the caller's own department: another
// department learns nothing of a grant's use.
type Allowance struct {
	Known bool
	// PerSecond is the bucket's size and refill rate; Remaining the calls
	// it holds now; Reset the seconds until it is full again.
	PerSecond, Remaining, Reset int
	// PerDay is the day's quota; DayRemaining the calls left today.
	PerDay       int
	DayRemaining int64
	// RetryAfter is the seconds to wait after a 429, else 0.
	RetryAfter int
}

// bucket is a token bucket of one grant on this node: it holds up to rate
// calls and refills at rate calls a second, so a caller may burst one
// second's worth and then keeps to the rate.
type bucket struct {
	mu     sync.Mutex
	rate   float64
	tokens float64
	at     time.Time
}

func newBucket(rate int, now time.Time) *bucket {
	return &bucket{rate: float64(rate), tokens: float64(rate), at: now}
}

// refill adds the tokens earned since the last call; a clock that went back
// earns nothing.
func (b *bucket) refill(now time.Time) {
	if d := now.Sub(b.at); d > 0 {
		b.tokens = math.Min(b.rate, b.tokens+d.Seconds()*b.rate)
		b.at = now
	}
}

// take takes one token if there is one.
func (b *bucket) take(now time.Time) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.refill(now)
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// state reports the whole tokens left, the time until the bucket is full and
// the time until the next token.
func (b *bucket) state(now time.Time) (remaining int, full, next time.Duration) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.refill(now)
	perToken := float64(time.Second) / b.rate
	full = time.Duration((b.rate - b.tokens) * perToken)
	if b.tokens < 1 {
		next = time.Duration((1 - b.tokens) * perToken)
	}
	return int(b.tokens), full, next
}

// guard is the delivery service's in-process state: the grants' buckets,
// the days whose quota is known to be spent, the grants already delivered
// and the sampler of signature refusals. Its zero value is ready.
//
// The buckets are per node: N nodes behind a balancer let a grant through
// at up to N times its rate. The daily quota is exact across nodes, being
// counted in the database.
type guard struct {
	buckets   sync.Map // grant ID → *bucket
	spent     sync.Map // grant ID → the Beijing day ("YYYY-MM-DD") its quota was found spent
	delivered sync.Map // grant ID → struct{}: its delivery obligation is closed
	refusals  refusalSampler
}

func (g *guard) bucket(id string, rate int, now time.Time) *bucket {
	if v, ok := g.buckets.Load(id); ok {
		if b := v.(*bucket); b.rate == float64(rate) {
			return b
		}
	}
	b := newBucket(rate, now)
	g.buckets.Store(id, b)
	return b
}

// admit takes one call of grant g at now from its bucket, and refuses it
// when the bucket is empty or the day's quota is already known to be spent
// (so that a spent grant costs no data read). It runs only for a caller of
// the grant's consumer department, so that no other department's system
// can drain the consumer's allowance.
func (s *Service) admit(g grant.Grant, now time.Time) error {
	l := g.Limits.Effective()
	if !s.guard.bucket(g.ID, l.PerSecond, now).take(now) {
		return errRateLimited
	}
	if day, ok := s.guard.spent.Load(g.ID); ok && day.(string) == calendar.DateOf(now).String() {
		return errQuotaExhausted
	}
	return nil
}

// finish records a call in one write transaction: it counts the call in the
// grant's usage of the day (a served call takes one of the day's quota, and
// is refused instead when the quota is spent: the data read is then not
// answered), appends the event, and at a grant's first success closes the
// provider's delivery obligation (Art. 22). It returns the caller's
// allowance and the call's error: callErr, or the spent quota.
//
// The request's nonce, when gateway.Check left it to the call (c.Nonce), is
// recorded here first, in the same transaction: one durable commit per call
// instead of two. A nonce already used makes the transaction roll back —
// no count, no event — and the answer is withheld: the data read is never
// sent, and the replay is refused with gateway.ErrReplayed (recorded, like a
// replay refused by gateway.Verify, by RefuseSignature). The price, weighed
// against a second commit on every call: a replay that this node has not
// seen (gateway.Check remembers recent nonces) costs one read, or one
// upstream call, and one token of the grant's bucket before it is refused.
// That happens at most once per node a captured request is replayed to,
// after a restart, or past the memory's bound; a flood of replays to one
// node is refused before anything is read.
func (s *Service) finish(ctx context.Context, c gateway.Caller, action string, g *grant.Grant, rec record, callErr error,
	now time.Time) (Allowance, error) {
	if rec.Items == nil {
		rec.Items = []string{}
	}
	o := ledger.Object{Type: "grant", ID: rec.GrantID, DepartmentID: c.DepartmentID}
	mine := g != nil && g.ConsumerID == c.DepartmentID
	var limits grant.Limits
	if g != nil {
		o.DepartmentID = g.ConsumerID
		limits = g.Limits.Effective()
	}
	actor := access.Actor{PersonID: c.SystemID, DepartmentID: c.DepartmentID}
	day := calendar.DateOf(now).String()
	var (
		calls int64
		spent bool
	)
	ctx = context.WithoutCancel(ctx) // a refusal is recorded even if the caller hangs up
	err := s.write(ctx, func(tx Tx) error {
		if err := gateway.RecordNonce(ctx, tx, c, now); err != nil {
			return err // a replay: nothing is counted or recorded
		}
		r := rec
		calls, spent = 0, false
		if mine {
			n, asked, err := tx.CountCall(ctx, g.ID, day, callErr == nil, r.Rows, limits.PerDay)
			if err != nil {
				return err
			}
			calls, spent = n, !asked
			if spent {
				r.Outcome, r.Rows, r.Masked = errQuotaExhausted.Code, 0, nil
			}
		}
		if err := ledger.Record(ctx, tx, now, actor, action, o, r); err != nil {
			return err
		}
		if callErr != nil || spent {
			return nil
		}
		if _, done := s.guard.delivered.Load(g.ID); done {
			return nil
		}
		return application.MarkDelivered(ctx, tx, g.ApplicationID, g.DeliveryMethod, now)
	})
	if err != nil {
		return Allowance{}, err
	}
	switch {
	case spent:
		s.guard.spent.Store(g.ID, day)
		callErr = errQuotaExhausted
	case callErr == nil:
		s.guard.delivered.Store(g.ID, struct{}{})
	}
	if !mine {
		return Allowance{}, callErr
	}
	return s.allowance(g.ID, limits, calls, callErr, now), callErr
}

// allowance is the caller's allowance after a call of grant id.
func (s *Service) allowance(id string, l grant.Limits, calls int64, callErr error, now time.Time) Allowance {
	a := Allowance{Known: true, PerSecond: l.PerSecond, PerDay: l.PerDay, DayRemaining: max(0, int64(l.PerDay)-calls)}
	remaining, full, next := s.guard.bucket(id, l.PerSecond, now).state(now)
	a.Remaining, a.Reset = remaining, ceilSeconds(full)
	switch {
	case errors.Is(callErr, errRateLimited):
		a.RetryAfter = max(1, ceilSeconds(next))
	case errors.Is(callErr, errQuotaExhausted):
		a.DayRemaining = 0
		a.RetryAfter = max(1, ceilSeconds(startOfNextDay(now).Sub(now)))
	}
	return a
}

func ceilSeconds(d time.Duration) int {
	return int((d + time.Second - 1) / time.Second)
}

// startOfNextDay is the next midnight in Beijing, when a day's quota renews.
func startOfNextDay(now time.Time) time.Time {
	d := calendar.DateOf(now)
	return time.Date(d.Year, d.Month, d.Day+1, 0, 0, 0, 0, calendar.Shanghai)
}

// UsageTx is what finish needs beyond recording: the day's count and the
// closing of the delivery obligation.
type UsageTx interface {
	// CountCall counts one call of grant grantID on day (Beijing,
	// "YYYY-MM-DD"). A served call takes one of the day's perDay calls and
	// adds its rows; a refused one counts as refused. It returns the day's
	// served calls after the count, and false when a served call found the
	// quota spent and was counted as refused instead.
	CountCall(ctx context.Context, grantID, day string, served bool, rows, perDay int) (int64, bool, error)
	application.DeliveredTx
}
