package httpapi

import (
	"io"
	"net/http"
	"time"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/files"
)

// fileRoutes is file download (Art. 22) for people: the provider's sharing
// office uploads files of its published entries, lists and deletes them;
// the consumer's sharing office takes a grant's files in the console
// (files_office.go). Consumers' systems download through the gateway
// (files_gateway.go).
func (api *API) fileRoutes() []Route {
	return []Route{
		{"POST", "/api/v1/catalog/entries/{id}/files", false, "Upload a file of a published entry for file download (streamed)", api.uploadFile},
		{"GET", "/api/v1/catalog/entries/{id}/files", false, "List the files of an entry", api.listFiles},
		{"GET", "/api/v1/files/{id}", false, "One file's metadata", api.getFile},
		{"DELETE", "/api/v1/files/{id}", false, "Delete a file; its record stays", api.deleteFile},
		{"GET", "/api/v1/grants/{id}/files", false, "List the files a file-download grant delivers, for the consumer's sharing office", api.officeGrantFiles},
		{"POST", "/api/v1/grants/{id}/files/{file_id}/links", false, "Ask for a personal download link of a file under a grant", api.officeFileLink},
		{"GET", "/api/v1/downloads/{link_id}", false, "Download the watermarked copy through one's own link (Range supported)", api.officeDownload},
	}
}

// transferIdle is how long an upload or a download may make no progress
// before the connection is dropped. It replaces the server's whole-request
// timeouts, which a file of several GB would exceed.
const transferIdle = 2 * time.Minute

// idleReader extends the connection's read deadline as the body arrives, so
// that a long upload runs while it moves and a stalled one ends.
type idleReader struct {
	r    io.Reader
	rc   *http.ResponseController
	last time.Time
}

func (ir *idleReader) Read(p []byte) (int, error) {
	if now := time.Now(); now.Sub(ir.last) > transferIdle/8 {
		_ = ir.rc.SetReadDeadline(now.Add(transferIdle)) // not supported: the server's own timeout stays
		ir.last = now
	}
	return ir.r.Read(p)
}

// uploadFile streams the body to the files service: never read whole, never
// through readBody. The name is a query parameter, the media type the
// Content-Type, an SM3 digest may be declared in Govshare-SM3.
func (api *API) uploadFile(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	in := files.Upload{Name: r.URL.Query().Get("name"), MediaType: r.Header.Get("Content-Type"), Length: r.ContentLength,
		SM3: r.Header.Get(files.HeaderSM3)}
	body := &idleReader{r: r.Body, rc: http.NewResponseController(w)}
	f, err := api.app.Files.Upload(r.Context(), a, r.PathValue("id"), in, body)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/files/"+f.ID)
	writeJSON(w, http.StatusCreated, f)
	return nil
}

func (api *API) listFiles(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	p, err := page(r)
	if err != nil {
		return err
	}
	deleted := false
	switch r.URL.Query().Get("deleted") {
	case "", "false":
	case "true":
		deleted = true
	default:
		return malformed("deleted", "request.bad_parameter", "参数无效", "deleted must be true or false")
	}
	fs, err := api.app.Files.List(r.Context(), a, files.Filter{EntryID: r.PathValue("id"), IncludeDeleted: deleted, Limit: p.Limit, After: p.After})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, list(fs, nextCursor(fs, p.Limit, func(f files.File) string { return f.ID })))
	return nil
}

func (api *API) getFile(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	f, err := api.app.Files.Get(r.Context(), a, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, f)
	return nil
}

func (api *API) deleteFile(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	f, err := api.app.Files.Delete(r.Context(), a, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, f)
	return nil
}
