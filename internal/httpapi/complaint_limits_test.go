package httpapi

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"
)

type stepClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *stepClock) now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *stepClock) add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }
func pfx(s string) netip.Prefix          { return netip.MustParsePrefix(s) }
func req(remote string) *http.Request    { return &http.Request{RemoteAddr: remote} }
func allowN(l *limiter, key netip.Prefix, n int) (ok int) {
	for range n {
		if a, _ := l.allow(key); a {
			ok++
		}
	}
	return ok
}

// TestLimiterPerClient: a client gets its burst, then waits one period per
// request; another client is not affected.
func TestLimiterPerClient(t *testing.T) {
	c := &stepClock{t: time.Unix(1e9, 0)}
	l := newLimiter(Limit{Burst: 3, Every: time.Minute}, Limit{}, Limit{Burst: 100, Every: time.Millisecond}, 100, c.now)
	if got := allowN(l, pfx("192.0.2.1/32"), 5); got != 3 {
		t.Fatalf("burst: %d allowed, want 3", got)
	}
	ok, wait := l.allow(pfx("192.0.2.1/32"))
	if ok || wait <= 0 || wait > time.Minute {
		t.Fatalf("over the burst: ok %v, wait %v", ok, wait)
	}
	if got := allowN(l, pfx("192.0.2.2/32"), 3); got != 3 {
		t.Errorf("another client: %d allowed", got)
	}
	c.add(time.Minute)
	if got := allowN(l, pfx("192.0.2.1/32"), 2); got != 1 {
		t.Errorf("after one period: %d allowed, want 1", got)
	}
}

// TestLimiterGlobal: many clients together meet the global cap, and a
// refused request does not spend the client's own token.
func TestLimiterGlobal(t *testing.T) {
	c := &stepClock{t: time.Unix(1e9, 0)}
	l := newLimiter(Limit{Burst: 2, Every: time.Hour}, Limit{}, Limit{Burst: 5, Every: time.Minute}, 1000, c.now)
	allowed := 0
	for i := range 20 {
		allowed += allowN(l, netip.PrefixFrom(netip.AddrFrom4([4]byte{198, 51, 100, byte(i)}), 32), 1)
	}
	if allowed != 5 {
		t.Fatalf("%d allowed from 20 clients, want the global 5", allowed)
	}
	c.add(time.Minute)
	if got := allowN(l, pfx("198.51.100.19/32"), 1); got != 1 {
		t.Errorf("a client refused by the global cap kept no token for later")
	}
}

// TestLimiterBounded: the table never holds more than MaxClients; idle
// clients are forgotten to make room, active ones are not.
func TestLimiterBounded(t *testing.T) {
	c := &stepClock{t: time.Unix(1e9, 0)}
	l := newLimiter(Limit{Burst: 1, Every: time.Minute}, Limit{}, Limit{Burst: 1000, Every: time.Nanosecond}, 10, c.now)
	for i := range 50 {
		l.allow(netip.PrefixFrom(netip.AddrFrom4([4]byte{203, 0, 113, byte(i)}), 32))
		if len(l.clients) > 10 {
			t.Fatalf("%d clients held, max 10", len(l.clients))
		}
	}
	c.add(time.Minute) // everyone refilled: forgettable
	if ok, _ := l.allow(pfx("203.0.113.200/32")); !ok || len(l.clients) > 10 {
		t.Errorf("idle clients were not forgotten: ok %v, %d held", ok, len(l.clients))
	}
}

// TestClientKey: IPv4 by address, IPv6 by /64, IPv4-mapped as IPv4.
func TestClientKey(t *testing.T) {
	for remote, want := range map[string]string{
		"192.0.2.7:5555":             "192.0.2.7/32",
		"[2001:db8:1:2:3:4:5:6]:443": "2001:db8:1:2::/64",
		"[2001:db8:1:2:ffff::1]:443": "2001:db8:1:2::/64",
		"[::ffff:192.0.2.9]:80":      "192.0.2.9/32",
		"garbage":                    "0.0.0.0/32",
	} {
		if got := clientKey(req(remote), nil); got != pfx(want) {
			t.Errorf("%s: key %s, want %s", remote, got, want)
		}
	}
}

// TestLimiterPerNetwork: clients of one /24 or one IPv6 /48 share a
// network bucket, so that many /64s of one subscriber do not each get a
// client's burst; a refusal by the network keeps the client's token, and
// another network is not affected.
func TestLimiterPerNetwork(t *testing.T) {
	c := &stepClock{t: time.Unix(1e9, 0)}
	l := newLimiter(Limit{Burst: 2, Every: time.Hour}, Limit{Burst: 5, Every: time.Hour}, Limit{Burst: 1000, Every: time.Nanosecond}, 1000, c.now)
	allowed := 0
	for i := range 20 {
		key := netip.PrefixFrom(netip.AddrFrom16([16]byte{0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, byte(i)}), 64)
		allowed += allowN(l, key, 2)
	}
	if allowed != 5 {
		t.Fatalf("%d allowed from 20 /64s of one /48, want the network's 5", allowed)
	}
	if got := allowN(l, pfx("2001:db8:2::/64"), 2); got != 2 {
		t.Errorf("another /48: %d allowed, want 2", got)
	}
	if got := allowN(l, pfx("192.0.2.1/32"), 2) + allowN(l, pfx("192.0.2.2/32"), 2) + allowN(l, pfx("192.0.2.3/32"), 2); got != 5 {
		t.Errorf("three clients of one /24: %d allowed, want the network's 5", got)
	}
	if len(l.networks) > 1000 {
		t.Errorf("network table unbounded: %d", len(l.networks))
	}
}

// TestClientKeyBehindProxy: X-Forwarded-For is believed only from a
// trusted proxy, and then only its rightmost untrusted address.
func TestClientKeyBehindProxy(t *testing.T) {
	trusted, err := ParseTrustedProxies("10.0.0.0/8, 2001:db8:ffff::1")
	if err != nil {
		t.Fatal(err)
	}
	xff := func(remote string, hops ...string) *http.Request {
		r := req(remote)
		r.Header = http.Header{}
		for _, h := range hops {
			r.Header.Add("X-Forwarded-For", h)
		}
		return r
	}
	for _, tc := range []struct {
		r    *http.Request
		want string
	}{
		{xff("198.51.100.9:1234", "203.0.113.5"), "198.51.100.9/32"},                // untrusted peer: forged header ignored
		{xff("10.1.2.3:443", "203.0.113.5"), "203.0.113.5/32"},                      // behind the proxy
		{xff("10.1.2.3:443", "1.2.3.4, 203.0.113.5"), "203.0.113.5/32"},             // a forged hop on the left is ignored
		{xff("10.1.2.3:443", "1.2.3.4", "203.0.113.6, 10.9.9.9"), "203.0.113.6/32"}, // two proxies, two header lines
		{xff("[2001:db8:ffff::1]:443", "2001:db8:5:6::7"), "2001:db8:5:6::/64"},     // IPv6 proxy and client
		{xff("10.1.2.3:443", "junk, 10.9.9.9"), "10.9.9.9/32"},                      // garbage: the last trusted hop
		{xff("10.1.2.3:443"), "10.1.2.3/32"},                                        // no header: the proxy itself
	} {
		if got := clientKey(tc.r, trusted); got != pfx(tc.want) {
			t.Errorf("%s %v: key %s, want %s", tc.r.RemoteAddr, tc.r.Header, got, tc.want)
		}
	}
	if got := clientKey(xff("10.1.2.3:443", "203.0.113.5"), nil); got != pfx("10.1.2.3/32") {
		t.Errorf("no trusted proxies configured: key %s, want the peer", got)
	}
	if _, err := ParseTrustedProxies("10.0.0.0/8,nonsense"); err == nil || !strings.Contains(err.Error(), "nonsense") {
		t.Errorf("bad proxy list: %v", err)
	}
}

// TestThrottleBehindProxy: two clients behind one trusted proxy get a
// bucket each; a client forging X-Forwarded-For from outside does not
// escape its own.
func TestThrottleBehindProxy(t *testing.T) {
	api := &API{public: newPublicLimiters(PublicLimits{LookupPerClient: Limit{Burst: 2, Every: time.Hour},
		LookupGlobal: Limit{Burst: 1000, Every: time.Nanosecond}, MaxClients: 100}, time.Now)}
	ps, _ := ParseTrustedProxies("10.0.0.1")
	api.SetTrustedProxies(ps)
	served := func(remote, forwarded string) int {
		n := 0
		for range 3 {
			r := httptest.NewRequest("POST", "/api/v1/public/complaints/lookup", nil)
			r.RemoteAddr = remote
			r.Header.Set("X-Forwarded-For", forwarded)
			if api.throttle(httptest.NewRecorder(), r, api.public.lookup) == nil {
				n++
			}
		}
		return n
	}
	if a, b := served("10.0.0.1:80", "198.51.100.1"), served("10.0.0.1:80", "198.51.100.2"); a != 2 || b != 2 {
		t.Errorf("behind the proxy: %d and %d served, want 2 each", a, b)
	}
	if a, b := served("203.0.113.9:80", "198.51.100.3"), served("203.0.113.9:80", "198.51.100.4"); a+b != 2 {
		t.Errorf("forged X-Forwarded-For from an untrusted peer: %d served, want 2 in all", a+b)
	}
}
