package httpapi_test

// grantUsageWalkCases are the authorisation walk's cases for a grant's call
// statistics: whoever may read the grant may read its usage (404 otherwise,
// as for the grant itself).
func grantUsageWalkCases(e *env) map[string]walkCase {
	f := newAppFixture(e)
	return map[string]walkCase{
		"GET /api/v1/grants/{id}/usage": {build: func(e *env, who string) request {
			return request{"GET", "/api/v1/grants/" + f.approvedGrant().ID + "/usage", nil}
		}, want: only(200, "admin", "gat.head", "gat.staff", "zj.reviewer", "audit"), dflt: 404,
			comment: "as GET /api/v1/grants/{id}: the parties' offices, the region's authority and auditor, admins"},
	}
}
