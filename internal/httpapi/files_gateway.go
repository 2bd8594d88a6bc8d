package httpapi

import (
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/govshare/govshare/internal/files"
	"github.com/govshare/govshare/internal/gateway"
)

// fileGatewayRoutes is file download on the gateway (Art. 22): a consumer's
// system lists the files its grant delivers, asks for a link to one, and
// downloads the watermarked copy through it. The rules and records are
// files.Service's; the handlers decode, stream and translate.
func (api *API) fileGatewayRoutes() []gatewayRoute {
	return []gatewayRoute{
		{"GET", "/gateway/v1/files", "List the files a file-download grant delivers", api.gatewayListFiles},
		{"POST", "/gateway/v1/files/{file_id}/links", "Ask for a download link of a file under a grant", api.gatewayFileLink},
		{"GET", "/gateway/v1/downloads/{link_id}", "Download the watermarked copy of a file through a link (Range supported)", api.gatewayDownload},
	}
}

// gatewayFile is what a consumer learns of a file: not who uploaded it,
// nor the digest of the original (its copy differs by the watermark).
type gatewayFile struct {
	ID         string     `json:"id"`
	Name       string     `json:"name"`
	MediaType  string     `json:"media_type"`
	Size       int64      `json:"size"`
	Watermark  files.Mark `json:"watermark"`
	UploadedAt time.Time  `json:"uploaded_at"`
}

func consumerView(f files.File) gatewayFile {
	return gatewayFile{ID: f.ID, Name: f.Name, MediaType: f.MediaType, Size: f.Size, Watermark: f.Watermark, UploadedAt: f.UploadedAt}
}

func (api *API) gatewayListFiles(w http.ResponseWriter, r *http.Request, c gateway.Caller, _ []byte) error {
	fs, err := api.app.Files.GrantFiles(r.Context(), c, r.URL.Query().Get("grant_id"))
	if err != nil {
		return err
	}
	writeConsumerFiles(w, fs)
	return nil
}

// writeConsumerFiles answers a listing of a grant's files as its consumer
// sees them, on the gateway or in the console.
func writeConsumerFiles(w http.ResponseWriter, fs []files.File) {
	out := make([]gatewayFile, len(fs))
	for i, f := range fs {
		out[i] = consumerView(f)
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": out})
}

// writeLink answers an issued link: where to download the copy (url, also
// in Location) until when, and the file.
func writeLink(w http.ResponseWriter, url string, l files.Link, f files.File) {
	w.Header().Set("Location", url)
	writeJSON(w, http.StatusCreated, map[string]any{"link_id": l.ID, "url": url, "grant_id": l.GrantID, "expires_at": l.ExpiresAt,
		"file": consumerView(f)})
}

func (api *API) gatewayFileLink(w http.ResponseWriter, r *http.Request, c gateway.Caller, body []byte) error {
	var in files.LinkRequest
	fileID := r.PathValue("file_id")
	if err := decodeStrict(body, &in); err != nil {
		return api.app.Files.RefuseLink(r.Context(), c, fileID, in, err)
	}
	l, f, err := api.app.Files.RequestLink(r.Context(), c, fileID, in)
	if err != nil {
		return err
	}
	writeLink(w, "/gateway/v1/downloads/"+l.ID, l, f)
	return nil
}

// gatewayDownload serves the link's copy to the calling system.
func (api *API) gatewayDownload(w http.ResponseWriter, r *http.Request, c gateway.Caller, _ []byte) error {
	d, err := api.app.Files.Open(r.Context(), c, r.PathValue("link_id"))
	if err != nil {
		return err
	}
	api.serveDownload(w, r, d)
	return nil
}

// serveDownload serves a download's copy with http.ServeContent (ranges,
// If-Range on the copy's ETag), then records what went out. Errors after
// the first byte cannot be answered; they are logged.
func (api *API) serveDownload(w http.ResponseWriter, r *http.Request, d *files.Download) {
	defer d.Close()
	h := w.Header()
	h.Set("Content-Type", d.File.MediaType)
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": d.File.Name}))
	h.Set("ETag", d.ETag)
	h.Set(files.HeaderWatermark, d.Stamp.Header())
	tw := &transferWriter{ResponseWriter: w, r: r, rc: http.NewResponseController(w)}
	http.ServeContent(tw, r, "", time.Time{}, d.Copy)
	if err := api.app.Files.Finish(r.Context(), d, tw.transfer()); err != nil {
		api.log.ErrorContext(r.Context(), "recording a download failed", "route", r.Pattern, "link", d.Link.ID, "err", err.Error())
	}
}

// sendChunk is how much of a file goes to the kernel between two
// extensions of the write deadline.
const sendChunk = 16 << 20

// transferWriter is the response writer http.ServeContent writes a copy
// to: it counts the bytes, extends the write deadline while they move,
// hands the file's part to the connection (sendfile) through Copy.Send, and
// answers ServeContent's own refusals (412, 416) as problems.
type transferWriter struct {
	http.ResponseWriter
	r       *http.Request
	rc      *http.ResponseController
	status  int
	n       int64
	err     error
	refusal string
	swallow bool
	last    time.Time
}

func (t *transferWriter) extend() {
	if now := time.Now(); now.Sub(t.last) > transferIdle/8 {
		_ = t.rc.SetWriteDeadline(now.Add(transferIdle)) // not supported: the server's own timeout stays
		t.last = now
	}
}

func (t *transferWriter) WriteHeader(code int) {
	if t.status != 0 {
		return
	}
	t.status = code
	var p Problem
	switch code {
	case http.StatusNotModified:
		t.refusal = files.OutcomeNotModified
	case http.StatusPreconditionFailed:
		t.refusal = files.OutcomePreconditionFail
		p = Problem{Title: "请求的前提条件不成立", Detail: "If-Match or If-Unmodified-Since does not hold for this copy"}
	case http.StatusRequestedRangeNotSatisfiable:
		t.refusal = files.OutcomeRangeInvalid
		p = Problem{Title: "请求的范围无效", Detail: "the Range does not overlap the copy; its length is in Content-Range"}
	}
	if p.Title == "" {
		t.ResponseWriter.WriteHeader(code)
		return
	}
	// ServeContent's plain-text refusal becomes a problem document.
	t.swallow = true
	p.Type, p.Status, p.Instance, p.Code = "urn:govshare:problem:"+t.refusal, code, t.r.URL.Path, t.refusal
	h := t.Header()
	h.Del("Content-Length")
	h.Set("Content-Type", "application/problem+json")
	t.ResponseWriter.WriteHeader(code)
	_ = json.NewEncoder(t.ResponseWriter).Encode(p)
}

func (t *transferWriter) Write(b []byte) (int, error) {
	if t.status == 0 {
		t.WriteHeader(http.StatusOK)
	}
	if t.swallow {
		return len(b), nil
	}
	t.extend()
	n, err := t.ResponseWriter.Write(b)
	t.n += int64(n)
	if err != nil && t.err == nil {
		t.err = err
	}
	return n, err
}

// ReadFrom takes what ServeContent copies: a limited reader of the Copy for
// one range. Anything else (a multipart range body) is copied plainly.
func (t *transferWriter) ReadFrom(src io.Reader) (int64, error) {
	if t.status == 0 {
		t.WriteHeader(http.StatusOK)
	}
	lr, ok := src.(*io.LimitedReader)
	var c *files.Copy
	if ok {
		c, ok = lr.R.(*files.Copy)
	}
	if !ok || t.swallow {
		return io.Copy(struct{ io.Writer }{t}, src)
	}
	var sent int64
	for lr.N > 0 {
		t.extend()
		m, err := c.Send(t.ResponseWriter, min(lr.N, sendChunk))
		sent, t.n, lr.N = sent+m, t.n+m, lr.N-m
		if err != nil {
			t.err = err
			return sent, err
		}
		if m == 0 {
			break // the copy's end
		}
	}
	return sent, nil
}

// transfer is what was served, for the record.
func (t *transferWriter) transfer() files.Transfer {
	tr := files.Transfer{Bytes: t.n, Refusal: t.refusal}
	if tr.Refusal != "" {
		return tr
	}
	if t.r.Method == http.MethodHead {
		tr.Complete = true // nothing asked for, nothing delivered
		return tr
	}
	want, err := strconv.ParseInt(t.Header().Get("Content-Length"), 10, 64)
	tr.Complete = t.err == nil && err == nil && t.n == want
	switch t.status {
	case http.StatusOK:
		tr.ToEnd = true
	case http.StatusPartialContent:
		tr.ToEnd = rangeToEnd(t.Header().Get("Content-Range"))
	}
	return tr
}

// rangeToEnd reports whether a Content-Range "bytes a-b/size" ends at the
// last byte.
func rangeToEnd(cr string) bool {
	spec, ok := strings.CutPrefix(cr, "bytes ")
	if !ok {
		return false
	}
	span, size, ok := strings.Cut(spec, "/")
	if !ok {
		return false
	}
	_, last, ok := strings.Cut(span, "-")
	if !ok {
		return false
	}
	b, err1 := strconv.ParseInt(last, 10, 64)
	n, err2 := strconv.ParseInt(size, 10, 64)
	return err1 == nil && err2 == nil && b == n-1
}
