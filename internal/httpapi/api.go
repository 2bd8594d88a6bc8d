// Package httpapi translates HTTP to the domain services and back: JSON under
// /api/v1, RFC 9457 problems, sign-in by session cookie or bearer token, and
// the operational endpoints /healthz, /readyz and /metrics. It holds no rules:
// every authorisation decision is taken again in the service layer.
package httpapi

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/app"
	"github.com/govshare/govshare/internal/calendar"
	"github.com/govshare/govshare/internal/console"
	"github.com/govshare/govshare/internal/problem"
)

// SessionCookie is the name of the sign-in cookie.
const SessionCookie = "govshare_session"

// Options configure the API.
type Options struct {
	Log *slog.Logger
	// SecureCookies marks the session cookie Secure; on whenever the platform
	// is served over HTTPS (always, outside a local demo).
	SecureCookies bool
	// Registry receives the metrics; a new one when nil.
	Registry *prometheus.Registry
}

// API is the HTTP surface of one platform node.
type API struct {
	app     *app.App
	log     *slog.Logger
	secure  bool
	metrics *metrics
	reg     *prometheus.Registry
	// public limits the complaint form's anonymous requests (complaint_limits.go).
	public *publicLimiters
}

// New returns the API over a.
func New(a *app.App, o Options) *API {
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.Registry == nil {
		o.Registry = prometheus.NewRegistry()
	}
	api := &API{app: a, log: o.Log, secure: o.SecureCookies, reg: o.Registry}
	api.public = newPublicLimiters(DefaultPublicLimits, time.Now)
	api.metrics = newMetrics(o.Registry, api.calendarMissing)
	o.Registry.MustRegister(gatewayCollectors(a)...)
	return api
}

// handlerFunc serves one route for a signed-in actor (zero Actor on public routes).
type handlerFunc func(w http.ResponseWriter, r *http.Request, a access.Actor) error

// Route is one entry of the API's URL space.
type Route struct {
	Method  string
	Pattern string
	Public  bool // served without sign-in
	Summary string
	handle  handlerFunc
}

// Routes is the whole URL space of the API: the platform's routes here, the
// catalog's and the applications' in their own files.
func (api *API) Routes() []Route {
	routes := []Route{
		{"POST", "/api/v1/session", true, "Sign in with username and password", api.signIn},
		{"DELETE", "/api/v1/session", false, "Sign out", api.signOut},
		{"GET", "/api/v1/me", false, "The signed-in person", api.me},
		{"POST", "/api/v1/me/password", false, "Change one's own password", api.changePassword},
		{"GET", "/api/v1/me/tokens", false, "List one's personal API tokens", api.listTokens},
		{"POST", "/api/v1/me/tokens", false, "Issue a personal API token", api.createToken},
		{"DELETE", "/api/v1/me/tokens/{id}", false, "Revoke a personal API token", api.revokeToken},

		{"GET", "/api/v1/divisions", false, "List administrative divisions", api.listDivisions},
		{"POST", "/api/v1/divisions", false, "Add an administrative division", api.createDivision},
		{"GET", "/api/v1/divisions/{code}", false, "One administrative division", api.getDivision},

		{"GET", "/api/v1/departments", false, "List departments", api.listDepartments},
		{"POST", "/api/v1/departments", false, "Add a department, authority or other state organ", api.createDepartment},
		{"GET", "/api/v1/departments/{id}", false, "One department", api.getDepartment},
		{"PUT", "/api/v1/departments/{id}/sharing-office", false, "Name the sharing office and its head (Art. 11)", api.updateOffice},
		{"GET", "/api/v1/departments/{id}/authority", false, "The department's same-level competent authority", api.sameLevelAuthority},
		{"GET", "/api/v1/authorities/common", false, "The lowest authority above two departments", api.commonAuthority},

		{"GET", "/api/v1/people", false, "List the people the caller may see", api.listPeople},
		{"POST", "/api/v1/people", false, "Open an account", api.createPerson},
		{"GET", "/api/v1/people/{id}", false, "One person", api.getPerson},
		{"PATCH", "/api/v1/people/{id}", false, "Change roles, name or enabled state", api.updatePerson},
		{"POST", "/api/v1/people/{id}/unlock", false, "Lift a sign-in lock-out", api.unlockPerson},

		{"GET", "/api/v1/calendar", false, "Known calendar years and warnings", api.calendarStatus},
		{"POST", "/api/v1/calendar/years", false, "Import a year's official holiday notice", api.importCalendarYear},
		{"GET", "/api/v1/calendar/years/{year}", false, "One year's holiday notice", api.getCalendarYear},
		{"GET", "/api/v1/calendar/due", false, "Statutory deadline: N working days from receipt", api.calendarDue},
		{"GET", "/api/v1/calendar/explain", false, "Day-by-day count behind a deadline", api.calendarExplain},

		{"GET", "/api/v1/events", false, "The record of acts the caller may read", api.listEvents},
		{"GET", "/api/v1/todo", false, "What waits for the caller, with deadlines", api.todoList},
		{"GET", "/api/v1/openapi.json", true, "This API's OpenAPI 3.1 document", api.openAPI},

		// Usage records (使用记录, Art. 29; issue #5 points 6–9): the
		// consumer's records of each grant, their readers (the provider,
		// the authorities above the consumer) and the grant's access
		// events, the retention lock, and inspection exports.
		{"GET", "/api/v1/grants/{id}/usage-records", false, "A grant's usage records, every revision (Art. 29)", api.listUsageRecords},
		{"POST", "/api/v1/grants/{id}/usage-records", false, "Record the use of a grant's data, or revise a record (Art. 29)", api.addUsageRecord},
		{"GET", "/api/v1/grants/{id}/events", false, "The recorded acts on a grant and accesses to its data", api.listGrantEvents},
		{"GET", "/api/v1/usage-records/missing", false, "Delivered grants without a usage record in the last 90 days", api.listMissingUsageRecords},
		{"DELETE", "/api/v1/usage-records/{id}", false, "Always refused: usage records are kept at least 3 years", api.deleteUsageRecord},
		{"GET", "/api/v1/inspections/export", false, "Export a department's usage records or events of a period as CSV or XLSX", api.exportInspection},
	}
	routes = append(routes, api.catalogRoutes()...)
	routes = append(routes, api.catalogXLSXRoutes()...)
	routes = append(routes, api.grantRoutes()...)
	routes = append(routes, api.datasetRoutes()...)
	routes = append(routes, api.credentialRoutes()...)
	routes = append(routes, api.upstreamRoutes()...)
	routes = append(routes, api.grantUsageRoutes()...)
	routes = append(routes, api.fileRoutes()...)
	routes = append(routes, api.exchangeRoutes()...)
	routes = append(routes, api.ledgerRoutes()...)
	routes = append(routes, api.correctionRoutes()...)
	routes = append(routes, api.disputeRoutes()...)
	routes = append(routes, api.complaintRoutes()...)
	routes = append(routes, api.serviceChangeRoutes()...)
	return append(routes, api.applicationRoutes()...)
}

// Handler returns the node's whole HTTP surface.
func (api *API) Handler() http.Handler {
	mux := http.NewServeMux()
	for _, rt := range api.Routes() {
		mux.Handle(rt.Method+" "+rt.Pattern, api.wrap(rt))
	}
	mux.HandleFunc("GET /healthz", api.healthz)
	mux.HandleFunc("GET /readyz", api.readyz)
	mux.Handle("GET /metrics", api.metricsHandler())
	for _, rt := range api.gatewayRoutes() {
		mux.Handle(rt.Method+" "+rt.Pattern, api.wrapGateway(rt))
	}
	mux.HandleFunc("/api/", api.noRoute)
	mux.HandleFunc("/gateway/", api.noRoute)
	// The web console: static pages that use this API like any other client.
	mux.Handle("GET /console/", console.Handler())
	mux.Handle("GET /{$}", http.RedirectHandler(console.Path, http.StatusFound))
	return api.observe(mux)
}

// noRoute answers a request no route took: 405 with Allow when the path
// exists under other methods, else 404, both as problems.
func (api *API) noRoute(w http.ResponseWriter, r *http.Request) {
	var allow []string
	probe := http.NewServeMux()
	for _, rt := range api.Routes() {
		probe.Handle(rt.Method+" "+rt.Pattern, http.NotFoundHandler())
	}
	for _, rt := range api.gatewayRoutes() {
		probe.Handle(rt.Method+" "+rt.Pattern, http.NotFoundHandler())
	}
	for _, m := range []string{"GET", "POST", "PUT", "PATCH", "DELETE"} {
		req := r.Clone(r.Context())
		req.Method = m
		if _, pattern := probe.Handler(req); pattern != "" {
			allow = append(allow, m)
		}
	}
	if len(allow) > 0 {
		w.Header().Set("Allow", strings.Join(allow, ", "))
		writeProblem(w, r, api.log, &problem.Error{Kind: problem.MethodNotAllowed, Code: "request.method_not_allowed", Title: "不支持该请求方法",
			Detail: r.Method + " is not allowed here; allowed: " + strings.Join(allow, ", ")})
		return
	}
	writeProblem(w, r, api.log, problem.NotFoundf("request.no_route", "接口不存在", "no such endpoint: %s %s", r.Method, r.URL.Path))
}

// wrap authenticates, runs the handler and turns its error into a problem.
func (api *API) wrap(rt Route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		var actor access.Actor
		if !rt.Public {
			var viaCookie bool
			var err error
			actor, viaCookie, err = api.authenticate(r)
			if err == nil && viaCookie && r.Method != http.MethodGet && crossSite(r) {
				err = problem.New(problem.Forbidden, "auth.cross_site", "拒绝跨站请求", "a signed-in browser request must come from this site")
			}
			if err == nil && viaCookie {
				c, _ := r.Cookie(SessionCookie) // present: authenticate found it
				err = checkCSRF(r, c.Value)
			}
			if err != nil {
				writeProblem(w, r, api.log, err)
				return
			}
			setActor(r, actor.PersonID)
		}
		serve := func(w http.ResponseWriter, r *http.Request) {
			if err := rt.handle(w, r, actor); err != nil {
				writeProblem(w, r, api.log, err)
			}
		}
		if key := r.Header.Get(IdempotencyHeader); key != "" && r.Method == http.MethodPost && !rt.Public {
			if err := api.idempotent(w, r, actor, key, serve); err != nil {
				writeProblem(w, r, api.log, err)
			}
			return
		}
		serve(w, r)
	})
}

func contextWithoutCancel(r *http.Request) context.Context { return context.WithoutCancel(r.Context()) }

// authenticate finds the actor from a bearer token or the session cookie.
func (api *API) authenticate(r *http.Request) (access.Actor, bool, error) {
	ctx := r.Context()
	if h := r.Header.Get("Authorization"); h != "" {
		secret, ok := strings.CutPrefix(h, "Bearer ")
		if !ok || secret == "" {
			return access.Actor{}, false, problem.New(problem.Unauthorized, "auth.bad_authorization", "Authorization 头格式错误", "use Authorization: Bearer <token>")
		}
		a, err := api.app.Auth.TokenActor(ctx, strings.TrimSpace(secret))
		return a, false, err
	}
	c, err := r.Cookie(SessionCookie)
	if err != nil || c.Value == "" {
		return access.Actor{}, false, problem.ErrUnauthenticated
	}
	a, err := api.app.Auth.SessionActor(ctx, c.Value)
	return a, true, err
}

// crossSite reports whether a browser says the request comes from another
// site. Bodies must be JSON, which a cross-site form cannot send; this also
// covers body-less commands such as DELETE.
func crossSite(r *http.Request) bool {
	if s := r.Header.Get("Sec-Fetch-Site"); s == "cross-site" {
		return true
	}
	if o := r.Header.Get("Origin"); o != "" {
		u, err := url.Parse(o)
		return err != nil || u.Host != r.Host
	}
	return false
}

func (api *API) healthz(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// readyz: the database answers, its schema is current and the calendar knows
// today, so deadlines can be computed.
func (api *API) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	checks := map[string]string{}
	ok := true
	if err := api.app.Store.Ping(ctx); err != nil {
		checks["database"], ok = "unreachable", false
	} else {
		checks["database"] = "ok"
	}
	if pending, err := api.app.Store.Pending(ctx); err != nil || pending {
		checks["migrations"], ok = "pending", false
	} else {
		checks["migrations"] = "ok"
	}
	cal, err := api.app.Calendar.Current(ctx)
	switch {
	case err != nil:
		checks["calendar"], ok = "unavailable", false
	case !cal.Knows(calendar.DateOf(api.app.Now()).Year):
		checks["calendar"], ok = "current year missing", false
	default:
		checks["calendar"] = "ok"
	}
	status := http.StatusOK
	if !ok {
		status = http.StatusServiceUnavailable
	}
	writeJSON(w, status, map[string]any{"ready": ok, "checks": checks})
}

func (api *API) calendarMissing() float64 {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	cal, err := api.app.Calendar.Current(ctx)
	if err != nil {
		return 1
	}
	if cal.MissingNextYear(calendar.DateOf(api.app.Now())) {
		return 1
	}
	return 0
}
