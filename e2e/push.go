package e2e

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"testing"
	"time"

	"github.com/govshare/govshare/internal/app"
	"github.com/govshare/govshare/internal/exchange"
)

// pushInterval is how often the platform's pusher looks for due pages.
// `govshare serve` looks every 5 seconds (cmd/govshare/push.go); a shorter
// tick only makes a browser test wait less for the first push. The back-off
// after a refused push is the product's own (exchange.Backoff).
const pushInterval = time.Second

// runPusher pushes batch-exchange pages to the subscribers' endpoints as
// `govshare serve` does (serveApp: Exchange.StartPusher), so that a test can
// register an endpoint of its own and see the subscription's cursor move
// when the endpoint acknowledges a page.
//
// The pusher's client is the product's (no redirects, exchange.PushTimeout)
// except that it dials loopback addresses only: a test may register an
// endpoint such as https://jieshou.example.gov.cn, and the platform must
// not send demo data off this machine, nor wait for a name server, to push
// to it. Such a push fails as exchange.push_unreachable, as it would for an
// endpoint that cannot be reached.
func runPusher(t *testing.T, a *app.App) {
	t.Helper()
	dialer := &net.Dialer{Timeout: 5 * time.Second}
	a.Exchange.Client = &http.Client{
		Timeout:       exchange.PushTimeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Transport: &http.Transport{
			DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
				host, _, err := net.SplitHostPort(addr)
				if err != nil {
					return nil, err
				}
				if ip, err := netip.ParseAddr(host); err != nil || !ip.IsLoopback() {
					return nil, fmt.Errorf("e2e: the platform pushes to loopback endpoints only, not %s", addr)
				}
				return dialer.DialContext(ctx, network, addr)
			},
		},
	}
	stop := a.Exchange.StartPusher(context.Background(), pushInterval, func(err error) { t.Errorf("pushing batches: %v", err) })
	t.Cleanup(stop)
}
