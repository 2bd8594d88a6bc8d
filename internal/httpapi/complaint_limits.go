package httpapi

import (
	"fmt"
	"math"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/govshare/govshare/internal/problem"
)

// The public complaint form has no account to hold to account, so floods
// are refused by rate: a token bucket per client address, one per
// client network (an IPv4 /24, an IPv6 /48: one subscriber can hold
// thousands of /64s, and would otherwise take a bucket each) and one for
// all clients together, for filings and lookups apart. The buckets live
// in memory on each node, bounded in number: a flood from many addresses
// fills the tables, and then meets the global bucket.
//
// Behind a reverse proxy (TLS ends there, docs/operations.md) every
// request's peer is the proxy; the client is then read from
// X-Forwarded-For, but only when the peer is one of the operator's
// trusted proxies (govshare serve --trusted-proxies), since anyone else
// can write any X-Forwarded-For they like.

// Limit is one token bucket: Burst requests at once, refilled at Every.
type Limit struct {
	Burst int
	Every time.Duration // one token per Every
}

// PublicLimits are the public endpoints' limits.
type PublicLimits struct {
	FilePerClient, FilePerNetwork, FileGlobal       Limit
	LookupPerClient, LookupPerNetwork, LookupGlobal Limit
	// MaxClients bounds the per-client table, and the per-network one.
	MaxClients int
}

// DefaultPublicLimits: a person files a few complaints, not dozens; a
// province's node takes a complaint a second at most from everyone
// together; lookups are cheap but each one guesses at a code. A network
// (an office behind one NAT, a campus) gets eight clients' worth. (an office behind one NAT, a campus) gets eight clients' worth.
var DefaultPublicLimits = PublicLimits{
	FilePerClient:    Limit{Burst: 5, Every: 2 * time.Minute},
	FilePerNetwork:   Limit{Burst: 40, Every: 15 * time.Second},
	FileGlobal:       Limit{Burst: 60, Every: time.Second},
	LookupPerClient:  Limit{Burst: 10, Every: 6 * time.Second},
	LookupPerNetwork: Limit{Burst: 80, Every: 750 * time.Millisecond},
	LookupGlobal:     Limit{Burst: 600, Every: 100 * time.Millisecond},
	MaxClients:       10000,
}

type bucket struct {
	tokens float64
	at     time.Time
}

// take spends one token of b under l at now, or says how long until one
// is available.
func (b *bucket) take(l Limit, now time.Time) (bool, time.Duration) {
	if l.Every <= 0 {
		return true, 0
	}
	b.tokens = math.Min(float64(l.Burst), b.tokens+float64(now.Sub(b.at))/float64(l.Every))
	b.at = now
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	return false, time.Duration((1 - b.tokens) * float64(l.Every))
}

// full reports whether b has refilled completely by now: forgetting it
// changes nothing.
func (b *bucket) full(l Limit, now time.Time) bool {
	return b.tokens+float64(now.Sub(b.at))/float64(l.Every) >= float64(l.Burst)
}

// limiter is one kind of public request's buckets.
type limiter struct {
	mu         sync.Mutex
	perClient  Limit
	perNetwork Limit
	global     Limit
	max        int
	all        bucket
	clients    map[netip.Prefix]*bucket
	networks   map[netip.Prefix]*bucket
	now        func() time.Time
}

func newLimiter(perClient, perNetwork, global Limit, max int, now func() time.Time) *limiter {
	return &limiter{perClient: perClient, perNetwork: perNetwork, global: global, max: max, now: now,
		all:     bucket{tokens: float64(global.Burst), at: now()},
		clients: map[netip.Prefix]*bucket{}, networks: map[netip.Prefix]*bucket{}}
}

// clientKey is the client's address (clientAddr), IPv6 by its /64, which
// one subscriber usually holds whole.
func clientKey(r *http.Request, trusted []netip.Prefix) netip.Prefix {
	addr := clientAddr(r, trusted)
	bits := 32
	if addr.Is6() {
		bits = 64
	}
	p, _ := addr.Prefix(bits)
	return p
}

// networkOf is the network a client key lies in: an IPv4 /24, an IPv6 /48
// (a site's usual assignment).
func networkOf(key netip.Prefix) netip.Prefix {
	bits := 24
	if key.Addr().Is6() {
		bits = 48
	}
	p, _ := key.Addr().Prefix(bits)
	return p
}

// parseAddr reads an address with or without a port; ok is false for
// anything else.
func parseAddr(s string) (netip.Addr, bool) {
	s = strings.TrimSpace(s)
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().Unmap(), true
	}
	if a, err := netip.ParseAddr(s); err == nil && a.Zone() == "" {
		return a.Unmap(), true
	}
	return netip.Addr{}, false
}

func isTrusted(a netip.Addr, trusted []netip.Prefix) bool {
	for _, p := range trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// clientAddr is the address a request comes from: the connection's peer,
// unless the peer is a trusted proxy. Then it is the rightmost
// X-Forwarded-For address that is not itself a trusted proxy: each proxy
// appends the peer it saw, so the entries to the left of the first
// untrusted one (from the right) are whatever the client chose to send.
// An entry that is not an address ends the walk at the last trusted hop.
func clientAddr(r *http.Request, trusted []netip.Prefix) netip.Addr {
	peer, ok := parseAddr(r.RemoteAddr)
	if !ok {
		return netip.IPv4Unspecified()
	}
	if !isTrusted(peer, trusted) {
		return peer
	}
	var hops []string
	for _, v := range r.Header.Values("X-Forwarded-For") {
		hops = append(hops, strings.Split(v, ",")...)
	}
	addr := peer
	for i := len(hops) - 1; i >= 0; i-- {
		a, ok := parseAddr(hops[i])
		if !ok {
			return addr
		}
		addr = a
		if !isTrusted(a, trusted) {
			return a
		}
	}
	return addr // every hop trusted: the client is the first of them
}

// slot is key's bucket in table m under lim, made full when new; nil when
// the table is full of active keys, after forgetting those refilled.
func (l *limiter) slot(m map[netip.Prefix]*bucket, lim Limit, key netip.Prefix, now time.Time) *bucket {
	if b, ok := m[key]; ok {
		return b
	}
	if len(m) >= l.max {
		for k, x := range m {
			if x.full(lim, now) {
				delete(m, k)
			}
		}
	}
	if len(m) >= l.max {
		return nil
	}
	b := &bucket{tokens: float64(lim.Burst), at: now}
	m[key] = b
	return b
}

// allow spends a token of the client's bucket, its network's and the
// global one; a refusal says how long to wait and spends nothing.
func (l *limiter) allow(key netip.Prefix) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	b := l.slot(l.clients, l.perClient, key, now)
	if b == nil {
		return false, l.perClient.Every // table full of active clients: wait like one
	}
	// The client's bucket is checked first, so that one flooding client
	// does not spend the tokens of its neighbours or of everyone else.
	if ok, wait := b.take(l.perClient, now); !ok {
		return false, wait
	}
	n := l.slot(l.networks, l.perNetwork, networkOf(key), now)
	if n == nil {
		b.tokens++
		return false, l.perNetwork.Every
	}
	if ok, wait := n.take(l.perNetwork, now); !ok {
		b.tokens++ // not served: give the client its token back
		return false, wait
	}
	if ok, wait := l.all.take(l.global, now); !ok {
		b.tokens++
		if l.perNetwork.Every > 0 {
			n.tokens++
		}
		return false, wait
	}
	return true, 0
}

// publicLimiters are the filing and lookup limiters of one API, and the
// proxies whose X-Forwarded-For is believed.
type publicLimiters struct {
	file, lookup *limiter
	trusted      []netip.Prefix
}

func newPublicLimiters(l PublicLimits, now func() time.Time) *publicLimiters {
	return &publicLimiters{file: newLimiter(l.FilePerClient, l.FilePerNetwork, l.FileGlobal, l.MaxClients, now),
		lookup: newLimiter(l.LookupPerClient, l.LookupPerNetwork, l.LookupGlobal, l.MaxClients, now)}
}

// SetPublicLimits replaces the API's public limits, forgetting the
// buckets (not the trusted proxies); tests set small ones. Call it before
// serving.
func (api *API) SetPublicLimits(l PublicLimits) {
	trusted := api.public.trusted
	api.public = newPublicLimiters(l, time.Now)
	api.public.trusted = trusted
}

// SetTrustedProxies sets the reverse proxies (addresses or CIDR
// prefixes) whose X-Forwarded-For names the client; none by default.
// Call it before serving.
func (api *API) SetTrustedProxies(ps []netip.Prefix) { api.public.trusted = ps }

// ParseTrustedProxies reads a list of addresses and CIDR prefixes
// separated by commas or spaces, as --trusted-proxies and
// GOVSHARE_TRUSTED_PROXIES take it. A bare address is a /32 or /128.
func ParseTrustedProxies(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' }) {
		if p, err := netip.ParsePrefix(f); err == nil {
			if bits := p.Bits() - 96; p.Addr().Is4In6() && bits >= 0 {
				p = netip.PrefixFrom(p.Addr().Unmap(), bits) // peers are compared unmapped
			}
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(f)
		if err != nil {
			return nil, fmt.Errorf("trusted proxies: %q is neither an address nor a CIDR prefix", f)
		}
		out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
	}
	return out, nil
}

// throttle answers 429 with Retry-After (whole seconds, at least 1) when
// l refuses r.
func (api *API) throttle(w http.ResponseWriter, r *http.Request, l *limiter) error {
	ok, wait := l.allow(clientKey(r, api.public.trusted))
	if ok {
		return nil
	}
	secs := int(math.Ceil(wait.Seconds()))
	if secs < 1 {
		secs = 1
	}
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	return problem.New(problem.TooManyRequests, "request.rate_limited", "提交过于频繁，请稍后再试",
		"too many requests from this address or in total; retry after "+strconv.Itoa(secs)+" seconds")
}
