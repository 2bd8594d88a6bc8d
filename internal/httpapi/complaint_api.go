package httpapi

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/complaint"
	"github.com/govshare/govshare/internal/problem"
)

// Complaints and reports of Art. 37 (issue #7 point 6): the public files
// and follows a complaint without an account; the department's sharing
// office handles it; the authorities above oversee. Rules are in
// internal/complaint.

// publicBodyBytes bounds a public request's body: the fields' own bounds
// (a few thousand characters) fit well within it.
const publicBodyBytes = 32 << 10

func (api *API) complaintRoutes() []Route {
	return []Route{
		{"GET", "/api/v1/public/departments", true, "Departments a complaint may name: IDs and names only (Art. 37)", api.publicDepartments},
		{"POST", "/api/v1/public/complaints", true, "File a complaint or report without an account (Art. 37)", api.fileComplaint},
		{"POST", "/api/v1/public/complaints/lookup", true, "Follow a complaint with its receipt code (Art. 37)", api.lookupComplaint},
		{"GET", "/api/v1/complaints", false, "Complaints handled by the caller's department or in the caller's region", api.listComplaints},
		{"GET", "/api/v1/complaints/{id}", false, "One complaint, with the complainant's details", api.getComplaint},
		{"POST", "/api/v1/complaints/{id}/accept", false, "Accept a complaint for handling", api.acceptComplaint},
		{"POST", "/api/v1/complaints/{id}/answer", false, "Answer a complaint with findings and measures; closes it", api.answerComplaint},
		{"POST", "/api/v1/complaints/{id}/transfer", false, "Transfer a complaint to the department that should handle it", api.transferComplaint},
	}
}

// errPublicCrossSite: public routes skip the session checks, but a page
// of another site must not file or look up complaints through a visitor's
// browser either.
var errPublicCrossSite = problem.New(problem.Forbidden, "auth.cross_site", "拒绝跨站请求", "the complaint form must be used from this site")

// publicCrossSite is stricter than crossSite: a browser must say the
// request comes from this very origin (same-origin) or from the visitor
// (none: typed, bookmarked, curl sends no header at all). same-site is
// refused too: a sibling subdomain of the platform is another origin, and
// may be run by someone else.
func publicCrossSite(r *http.Request) bool {
	switch r.Header.Get("Sec-Fetch-Site") {
	case "", "same-origin", "none":
		return crossSite(r)
	}
	return true
}

// readPublic checks a public command's origin and rate, then reads its
// small JSON body strictly into v.
func (api *API) readPublic(w http.ResponseWriter, r *http.Request, l *limiter, v any) error {
	if publicCrossSite(r) {
		return errPublicCrossSite
	}
	if err := api.throttle(w, r, l); err != nil {
		return err
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		return &problem.Error{Kind: problem.Unsupported, Code: "request.media_type", Title: "请求体必须是 JSON",
			Detail: "send the body as Content-Type: application/json"}
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, publicBodyBytes))
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return &problem.Error{Kind: problem.TooLarge, Code: "request.too_large", Title: "提交内容过长",
			Detail: fmt.Sprintf("the body may have at most %d bytes", publicBodyBytes)}
	}
	if err != nil {
		return malformed("", "request.unreadable", "请求体读取失败", "the body could not be read")
	}
	if strings.TrimSpace(string(body)) == "" {
		return malformed("", "request.body_required", "请求体不能为空", "a JSON body is required")
	}
	return decodeStrict(body, v)
}

// publicDepartments serves the cached list (complaint.DepartmentsTTL),
// under the lookup limits: it is read without an account.
func (api *API) publicDepartments(w http.ResponseWriter, r *http.Request, _ access.Actor) error {
	if publicCrossSite(r) {
		return errPublicCrossSite
	}
	if err := api.throttle(w, r, api.public.lookup); err != nil {
		return err
	}
	ds, err := api.app.Complaints.Departments(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, list(ds, ""))
	return nil
}

func (api *API) fileComplaint(w http.ResponseWriter, r *http.Request, _ access.Actor) error {
	var in complaint.Input
	if err := api.readPublic(w, r, api.public.file, &in); err != nil {
		return err
	}
	rec, err := api.app.Complaints.File(r.Context(), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, rec)
	return nil
}

type lookupRequest struct {
	Code string `json:"code"`
}

func (api *API) lookupComplaint(w http.ResponseWriter, r *http.Request, _ access.Actor) error {
	var in lookupRequest
	if err := api.readPublic(w, r, api.public.lookup, &in); err != nil {
		return err
	}
	p, err := api.app.Complaints.Lookup(r.Context(), in.Code)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, p)
	return nil
}

func (api *API) listComplaints(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	p, err := page(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	overdue := false
	switch q.Get("overdue") {
	case "", "false":
	case "true":
		overdue = true
	default:
		return malformed("overdue", "request.bad_parameter", "参数无效", "overdue must be true or false")
	}
	cs, next, err := api.app.Complaints.ListPage(r.Context(), a, complaint.State(q.Get("state")), overdue, p.After, p.Limit)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, list(cs, next))
	return nil
}

func (api *API) getComplaint(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	c, err := api.app.Complaints.Get(r.Context(), a, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}

func (api *API) acceptComplaint(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	var in complaint.Command
	if err := decode(w, r, &in); err != nil {
		return err
	}
	c, err := api.app.Complaints.Accept(r.Context(), a, r.PathValue("id"), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}

func (api *API) answerComplaint(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	var in complaint.AnswerInput
	if err := decode(w, r, &in); err != nil {
		return err
	}
	c, err := api.app.Complaints.Answer(r.Context(), a, r.PathValue("id"), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}

func (api *API) transferComplaint(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	var in complaint.TransferInput
	if err := decode(w, r, &in); err != nil {
		return err
	}
	c, err := api.app.Complaints.Transfer(r.Context(), a, r.PathValue("id"), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}
