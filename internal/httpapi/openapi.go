package httpapi

import (
	_ "embed"
	"net/http"

	"github.com/govshare/govshare/internal/access"
)

// OpenAPIDocument is the API's OpenAPI 3.1 description, kept in the
// repository beside the code; a test holds it to the routes above.
//
//go:embed openapi.json
var OpenAPIDocument []byte

func (api *API) openAPI(w http.ResponseWriter, r *http.Request, _ access.Actor) error {
	w.Header().Set("Content-Type", "application/json")
	_, err := w.Write(OpenAPIDocument)
	return err
}
