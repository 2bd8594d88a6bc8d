package httpapi_test

// applicationWalkCases are the authorisation walk's cases for the application routes.
func applicationWalkCases(e *env) map[string]walkCase { return map[string]walkCase{} }
