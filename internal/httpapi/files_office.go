package httpapi

import (
	"net/http"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/files"
)

// The consumer's sharing office takes a file-download grant's files in the
// console: it lists them, asks for a link of its own (bound to the grant and
// the person, valid for minutes) and downloads the copy, watermarked with
// the person's name, through it. The rules and records are files.Service's
// (office.go); these handlers decode and translate, and the download is
// served as the gateway's is.

func (api *API) officeGrantFiles(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	fs, err := api.app.Files.OfficeGrantFiles(r.Context(), a, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeConsumerFiles(w, fs)
	return nil
}

// officeLinkRequest is the body of a person's link request: the grant is
// the path's.
type officeLinkRequest struct {
	Purpose string `json:"purpose"`
}

func (api *API) officeFileLink(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	var in officeLinkRequest
	if err := decode(w, r, &in); err != nil {
		return err
	}
	l, f, err := api.app.Files.OfficeLink(r.Context(), a, r.PathValue("file_id"), files.LinkRequest{GrantID: r.PathValue("id"), Purpose: in.Purpose})
	if err != nil {
		return err
	}
	writeLink(w, "/api/v1/downloads/"+l.ID, l, f)
	return nil
}

func (api *API) officeDownload(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	d, err := api.app.Files.OfficeOpen(r.Context(), a, r.PathValue("link_id"))
	if err != nil {
		return err
	}
	api.serveDownload(w, r, d)
	return nil
}
