package httpapi

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"sort"

	"github.com/govshare/govshare/internal/access"
)

// The API's OpenAPI 3.1 description is kept in the repository beside the
// code, one file per part of the API: openapi/platform.json holds the
// document's frame (info, security, shared components) and the platform's
// paths; every other openapi/*.json adds its paths, tags and components.
// Tests hold the merged document to the routes the server really has.
//
//go:embed openapi/*.json
var openapiFiles embed.FS

// OpenAPIDocument is the merged document, as served.
var OpenAPIDocument = mustMergeOpenAPI(openapiFiles)

func mustMergeOpenAPI(fsys fs.FS) []byte {
	b, err := mergeOpenAPI(fsys)
	if err != nil {
		panic(err) // a broken document is a build defect; tests catch it first
	}
	return b
}

func mergeOpenAPI(fsys fs.FS) ([]byte, error) {
	read := func(name string) (map[string]any, error) {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			return nil, fmt.Errorf("openapi: %s: %w", name, err)
		}
		return m, nil
	}
	doc, err := read("openapi/platform.json")
	if err != nil {
		return nil, err
	}
	names, err := fs.Glob(fsys, "openapi/*.json")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	for _, name := range names {
		if name == "openapi/platform.json" {
			continue
		}
		part, err := read(name)
		if err != nil {
			return nil, err
		}
		if err := mergeSection(doc, part, "paths", name); err != nil {
			return nil, err
		}
		if tags, ok := part["tags"].([]any); ok {
			doc["tags"] = append(doc["tags"].([]any), tags...)
		}
		comps, _ := part["components"].(map[string]any)
		docComps := doc["components"].(map[string]any)
		for kind := range comps {
			if _, ok := docComps[kind]; !ok {
				docComps[kind] = map[string]any{}
			}
			if err := mergeSection(docComps, comps, kind, name); err != nil {
				return nil, err
			}
		}
	}
	return json.MarshalIndent(doc, "", "  ")
}

// mergeSection adds src[key]'s members to dst[key]; a name defined twice is an error.
func mergeSection(dst, src map[string]any, key, file string) error {
	add, _ := src[key].(map[string]any)
	into, ok := dst[key].(map[string]any)
	if !ok {
		into = map[string]any{}
		dst[key] = into
	}
	for k, v := range add {
		if _, dup := into[k]; dup {
			return fmt.Errorf("openapi: %s defines %s %q again", file, key, k)
		}
		into[k] = v
	}
	return nil
}

func (api *API) openAPI(w http.ResponseWriter, r *http.Request, _ access.Actor) error {
	w.Header().Set("Content-Type", "application/json")
	_, err := w.Write(OpenAPIDocument)
	return err
}
