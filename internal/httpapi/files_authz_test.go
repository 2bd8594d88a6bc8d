package httpapi_test

import (
	"context"
	"strings"

	"github.com/govshare/govshare/internal/catalog"
	"github.com/govshare/govshare/internal/files"
)

// fileEntry publishes an entry of 浙江省公安厅 (gat) offering file download,
// and gives the env a files directory.
func fileEntry(e *env) string {
	e.t.Helper()
	if _, ok := e.app.Files.Config(); !ok {
		if err := e.app.Files.Configure(files.Config{Dir: e.t.TempDir()}); err != nil {
			e.t.Fatal(err)
		}
	}
	f := &catalogFixture{e: e, seq: 900}
	d := f.draftBody("走查文件目录")
	d.DeliveryMethods = []catalog.Method{catalog.FileDownload}
	ctx := context.Background()
	en := f.must(e.app.Catalog.Create(ctx, f.as("gat.staff"), d))
	en = f.must(e.app.Catalog.RecordAssessments(ctx, f.as("gat.staff"), en.ID, f.assessments(), en.Version))
	en = f.must(e.app.Catalog.Submit(ctx, f.as("gat.head"), en.ID, en.Version))
	en = f.must(e.app.Catalog.Publish(ctx, f.as("zj.reviewer"), en.ID, en.Version, ""))
	return en.ID
}

// uploaded stores a small file of entry as gat.staff, through the service.
func uploaded(e *env, entry string) files.File {
	e.t.Helper()
	f, err := e.app.Files.Upload(context.Background(), e.as("gat.staff"), entry, files.Upload{Name: "走查.csv", Length: -1},
		strings.NewReader("a,b\n1,2\n"))
	if err != nil {
		e.t.Fatal(err)
	}
	return f
}

// fileWalkCases are the authorisation walk's cases for the provider's file
// routes, on a published gat entry offering file download: only gat's
// sharing office uploads and deletes; it and platform admins read the
// metadata. Everyone else gets 403 (the entry is published).
func fileWalkCases(e *env) map[string]walkCase {
	entry := fileEntry(e)
	kept := uploaded(e, entry)
	office := only(200, "gat.head", "gat.staff")
	readers := only(200, "gat.head", "gat.staff", "admin")
	base := "/api/v1/catalog/entries/" + entry + "/files"
	cases := map[string]walkCase{
		"POST /api/v1/catalog/entries/{id}/files": {build: fixed("POST", base+"?name=walk.csv", "a,b\n1,2\n"),
			want: only(201, "gat.head", "gat.staff"), dflt: 403, comment: "only the provider's sharing office uploads; others' bodies are not read"},
		"GET /api/v1/catalog/entries/{id}/files": {build: fixed("GET", base, nil), want: readers, dflt: 403,
			comment: "the provider's sharing office and admins; consumers list through the gateway"},
		"GET /api/v1/files/{id}": {build: fixed("GET", "/api/v1/files/"+kept.ID, nil), want: readers, dflt: 403},
		"DELETE /api/v1/files/{id}": {build: func(e *env, who string) request {
			return request{"DELETE", "/api/v1/files/" + uploaded(e, entry).ID, nil}
		}, want: office, dflt: 403, comment: "only the provider's sharing office deletes"},
	}
	// gat is the consumer of a file-download grant of scjg's entry: its
	// sharing office takes the files; those who see the grant otherwise
	// (admins, zj.reviewer, the auditor) get 403, the rest 404.
	g := fileGrant(e)
	seeing := map[string]int{"gat.head": 200, "gat.staff": 200, "admin": 403, "zj.reviewer": 403, "audit": 403}
	grantFiles := "/api/v1/grants/" + g.grant.ID + "/files"
	for k, c := range map[string]walkCase{
		"GET /api/v1/grants/{id}/files": {build: fixed("GET", grantFiles, nil), want: seeing, dflt: 404,
			comment: "the consumer's sharing office; the provider's lists the entry's files"},
		"POST /api/v1/grants/{id}/files/{file_id}/links": {build: fixed("POST", grantFiles+"/"+g.file.ID+"/links", map[string]string{"purpose": filePurpose}),
			want: map[string]int{"gat.head": 201, "gat.staff": 201, "admin": 403, "zj.reviewer": 403, "audit": 403}, dflt: 404,
			comment: "a person's own link, for the consumer's sharing office only"},
		"GET /api/v1/downloads/{link_id}": {build: func(e *env, who string) request {
			return request{"GET", officeLinkOf(g, "gat.staff"), nil}
		}, want: only(200, "gat.staff"), dflt: 403, comment: "a link works only for the person who asked for it"},
	} {
		cases[k] = c
	}
	return cases
}

// officeLinkOf asks for a link of g's file as username, through the service.
func officeLinkOf(g *fileFixture, username string) string {
	g.e.t.Helper()
	l, _, err := g.e.app.Files.OfficeLink(context.Background(), g.e.as(username), g.file.ID, files.LinkRequest{GrantID: g.grant.ID, Purpose: filePurpose})
	if err != nil {
		g.e.t.Fatal(err)
	}
	return "/api/v1/downloads/" + l.ID
}
