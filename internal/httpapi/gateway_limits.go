package httpapi

import (
	"net/http"
	"strconv"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/app"
	"github.com/govshare/govshare/internal/delivery"
	"github.com/govshare/govshare/internal/grant"
)

// setAllowance copies the caller's allowance that delivery returned into the
// answer's headers: the per-second bucket as RateLimit-* (the IETF
// httpapi-ratelimit-headers draft), the day's quota as X-Quota-*, and
// Retry-After on a 429. Nothing is set when delivery tells nothing (no grant
// of the caller's department).
func setAllowance(w http.ResponseWriter, a delivery.Allowance) {
	if !a.Known {
		return
	}
	h := w.Header()
	h.Set("RateLimit-Limit", strconv.Itoa(a.PerSecond))
	h.Set("RateLimit-Remaining", strconv.Itoa(a.Remaining))
	h.Set("RateLimit-Reset", strconv.Itoa(a.Reset))
	h.Set("X-Quota-Limit", strconv.Itoa(a.PerDay))
	h.Set("X-Quota-Remaining", strconv.FormatInt(a.DayRemaining, 10))
	if a.RetryAfter > 0 {
		h.Set("Retry-After", strconv.Itoa(a.RetryAfter))
	}
}

// gatewayCollectors are the gateway's metrics beside the HTTP ones.
func gatewayCollectors(a *app.App) []prometheus.Collector {
	return []prometheus.Collector{
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "govshare_gateway_refusals_unrecorded_total",
			Help: "Gateway requests refused at their signature or credential and not recorded in the ledger, over the per-source and per-minute sampling limits.",
		}, func() float64 { return float64(a.Delivery.UnrecordedRefusals()) }),
	}
}

// grantUsageRoutes is the service interface's call statistics of a grant.
func (api *API) grantUsageRoutes() []Route {
	return []Route{
		{"GET", "/api/v1/grants/{id}/usage", false, "A grant's daily call statistics and limits", api.grantUsage},
	}
}

func (api *API) grantUsage(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	q := r.URL.Query()
	rep, err := api.app.Grants.Usage(r.Context(), a, r.PathValue("id"), grant.UsageFilter{From: q.Get("from"), To: q.Get("to")})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, rep)
	return nil
}
