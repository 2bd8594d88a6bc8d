package httpapi_test

// catalogWalkCases are the authorisation walk's cases for the catalog routes.
func catalogWalkCases(e *env) map[string]walkCase { return map[string]walkCase{} }
