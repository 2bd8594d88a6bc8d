package httpapi

// applicationRoutes is the applications' part of the URL space (issue #3).
func (api *API) applicationRoutes() []Route { return nil }
