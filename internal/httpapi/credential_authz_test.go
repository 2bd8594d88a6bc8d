package httpapi_test

import (
	"fmt"
)

// credentialWalkCases are the authorisation walk's cases for the
// application-system routes. Targets are systems of 浙江省公安厅 (gat),
// registered and given credentials by gat.staff through the API, so gat.*
// act on their own department's system. Who cannot see the system (a foreign
// office, a reviewer or a contractor outside the province's region) gets 404;
// who sees it but may not act, 403. An admin may disable a system and revoke
// a credential (an incident) but never issue one: it would see the secret.
func credentialWalkCases(e *env) map[string]walkCase {
	seq := 0
	next := func() int { seq++; return seq }
	// register has gat.staff register a fresh system and returns its id and version.
	register := func(e *env) (string, int64) {
		res := e.do("gat.staff", "POST", "/api/v1/systems", map[string]any{"name": fmt.Sprintf("走查系统%d", next()), "allowed_ips": []string{"10.0.0.0/8"}})
		if res.status != 201 {
			e.t.Fatalf("register fixture: %d %s", res.status, res.body)
		}
		var s struct {
			ID      string `json:"id"`
			Version int64  `json:"version"`
		}
		res.json(e.t, &s)
		return s.ID, s.Version
	}
	issue := func(e *env, id string) string {
		res := e.do("gat.staff", "POST", "/api/v1/systems/"+id+"/credentials", nil)
		if res.status != 201 {
			e.t.Fatalf("credential fixture: %d %s", res.status, res.body)
		}
		var c struct {
			KeyID string `json:"key_id"`
		}
		res.json(e.t, &c)
		return c.KeyID
	}
	// Seen but not theirs to act on: 403; not seen: 404 (the default).
	seers := func(status int) map[string]int {
		return map[string]int{"admin": status, "gat.head": status, "gat.staff": status, "zj.reviewer": 403, "audit": 403}
	}
	stoppers := seers(200)
	issuers := seers(201)
	issuers["admin"] = 403
	binders := seers(200)
	binders["admin"] = 403
	var shared string
	target := func(e *env) string {
		if shared == "" {
			shared, _ = register(e)
		}
		return shared
	}
	return map[string]walkCase{
		"GET /api/v1/systems": {build: fixed("GET", "/api/v1/systems", nil), want: only(403, "ops"), dflt: 200,
			comment: "scoped listing; contents checked in TestRegistrationRights (internal/gateway)"},
		"POST /api/v1/systems": {build: func(e *env, who string) request {
			return request{"POST", "/api/v1/systems", map[string]any{"name": fmt.Sprintf("新系统%d", next()), "description": "走查"}}
		}, want: only(201, "gat.head", "gat.staff", "hzga.head", "hzga.staff"), dflt: 403,
			comment: "a sharing office registers systems for its own department only"},
		"GET /api/v1/systems/{id}": {build: func(e *env, who string) request {
			return request{"GET", "/api/v1/systems/" + target(e), nil}
		}, want: only(200, "admin", "gat.head", "gat.staff", "zj.reviewer", "audit"), dflt: 404,
			comment: "own office, admins, the province's reviewer and auditor; hz.reviewer's region does not hold gat"},
		"POST /api/v1/systems/{id}/disable": {build: func(e *env, who string) request {
			id, v := register(e)
			return request{"POST", "/api/v1/systems/" + id + "/disable", map[string]any{"version": v}}
		}, want: stoppers, dflt: 404},
		"PUT /api/v1/systems/{id}/grants": {build: func(e *env, who string) request {
			id, v := register(e)
			return request{"PUT", "/api/v1/systems/" + id + "/grants", map[string]any{"grants": []string{}, "version": v}}
		}, want: binders, dflt: 404, comment: "only the owning office binds its systems; others who see the system get 403"},
		"POST /api/v1/systems/{id}/credentials": {build: func(e *env, who string) request {
			return request{"POST", "/api/v1/systems/" + target(e) + "/credentials", nil}
		}, want: issuers, dflt: 404, comment: "only the owning office sees a secret"},
		"POST /api/v1/systems/{id}/credentials/{key}/revoke": {build: func(e *env, who string) request {
			id, _ := register(e)
			return request{"POST", "/api/v1/systems/" + id + "/credentials/" + issue(e, id) + "/revoke", nil}
		}, want: stoppers, dflt: 404},
	}
}
