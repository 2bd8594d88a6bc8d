package httpapi

// GatewayRouteKeys lists the gateway's routes as "METHOD pattern", for the
// documentation test (the gateway is outside the OpenAPI document).
func (api *API) GatewayRouteKeys() []string {
	var out []string
	for _, rt := range api.gatewayRoutes() {
		out = append(out, rt.Method+" "+rt.Pattern)
	}
	return out
}
