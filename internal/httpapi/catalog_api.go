package httpapi

// catalogRoutes is the catalog's part of the URL space (issue #3).
func (api *API) catalogRoutes() []Route { return nil }
