package httpapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"time"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/catalog"
	catalogxlsx "github.com/govshare/govshare/internal/catalog/xlsx"
	"github.com/govshare/govshare/internal/problem"
	"github.com/govshare/govshare/internal/store"
)

// catalogXLSXRoutes are the catalog's spreadsheet routes (issue #3, point 4).
func (api *API) catalogXLSXRoutes() []Route {
	return []Route{
		{"GET", "/api/v1/catalog/export.xlsx", false, "Export catalog entries as an XLSX workbook, one row per data item", api.exportCatalogXLSX},
		{"POST", "/api/v1/catalog/import", false, "Import catalog entries from an XLSX workbook as drafts of one's own department", api.importCatalogXLSX},
	}
}

func (api *API) catalogXLSX() *catalogxlsx.Service {
	s := api.app.Store
	return catalogxlsx.NewService(api.app.Catalog, store.Adapt[catalog.Tx](s.Write), store.Adapt[catalog.Tx](s.Read), api.app.Calendar, api.app.Now)
}

func (api *API) exportCatalogXLSX(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	q := r.URL.Query()
	x, err := api.catalogXLSX().PrepareExport(r.Context(), a, catalogxlsx.Scope(q.Get("scope")), catalog.Query{Text: q.Get("q"),
		ProviderID: q.Get("provider_id"), Region: q.Get("region"), Attribute: catalog.Attribute(q.Get("attribute")),
		Method: catalog.Method(q.Get("method")), Grade: q.Get("grade")})
	if err != nil {
		return err
	}
	name := "govshare-catalog-" + time.Now().Format("20060102") + ".xlsx"
	w.Header().Set("Content-Type", catalogxlsx.ContentType)
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	w.Header().Set("X-Content-Type-Options", "nosniff")
	// The workbook is assembled before its first byte is sent (excelize
	// writes the zip at the end), so a failure while reading the catalog is
	// still answered as a problem.
	pw := &pending{w: w}
	if _, err := x.WriteTo(r.Context(), pw); err != nil {
		if pw.started {
			api.log.ErrorContext(r.Context(), "catalog export failed mid-stream", "err", err.Error())
			return nil
		}
		w.Header().Del("Content-Disposition")
		return err
	}
	return nil
}

// pending notes whether anything reached the client.
type pending struct {
	w       io.Writer
	started bool
}

func (p *pending) Write(b []byte) (int, error) {
	p.started = true
	return p.w.Write(b)
}

// catalogImportProblem is the 422 answer to a file with bad cells: the
// problem document with every bad cell in errors.
type catalogImportProblem struct {
	Problem
	Errors []catalogxlsx.CellError `json:"errors"`
}

func (api *API) importCatalogXLSX(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	// Rights first: nobody else's upload is read at all.
	if !catalogxlsx.CanImport(a) {
		return problem.ErrForbidden
	}
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || (mt != catalogxlsx.ContentType && mt != "application/octet-stream") {
		return &problem.Error{Kind: problem.Unsupported, Code: "request.media_type", Title: "请上传 XLSX 文件",
			Detail: "send the workbook as the body with Content-Type: " + catalogxlsx.ContentType}
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, catalogxlsx.MaxFileBytes))
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return &problem.Error{Kind: problem.TooLarge, Code: "catalog.import_too_large", Title: "文件过大",
			Detail: fmt.Sprintf("an import file may have at most %d bytes (%d MiB)", catalogxlsx.MaxFileBytes, catalogxlsx.MaxFileBytes>>20)}
	}
	if err != nil {
		return malformed("", "request.unreadable", "请求体读取失败", "the body could not be read")
	}
	if len(body) == 0 {
		return malformed("", "request.body_required", "请求体不能为空", "the body must be the XLSX workbook")
	}
	rep, err := api.catalogXLSX().Import(r.Context(), a, body)
	var bad *catalogxlsx.InvalidFile
	if errors.As(err, &bad) {
		p := bad.Problem()
		w.Header().Set("Content-Type", "application/problem+json")
		w.WriteHeader(http.StatusUnprocessableEntity)
		return json.NewEncoder(w).Encode(catalogImportProblem{
			Problem: Problem{Type: "urn:govshare:problem:" + p.Code, Title: p.Title, Status: http.StatusUnprocessableEntity, Detail: p.Detail,
				Instance: r.URL.Path, Code: p.Code},
			Errors: bad.Errors,
		})
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, rep)
	return nil
}
