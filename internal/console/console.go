// Package console is the web console: static HTML, CSS and JavaScript
// modules embedded in the binary and served under /console/. The pages hold
// no data of their own and the server renders none into them: every page
// fetches what it shows from the JSON API under /api/v1 with the person's
// session cookie, so the console has exactly the rights its user has through
// the API, and no second path to the data. See docs/console.md.
package console

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"
)

// Path is where the console is served.
const Path = "/console/"

// assetsPrefix holds the files; every other path under Path is a page of the
// console and gets index.html, whose script routes it (History API routing).
const assetsPrefix = Path + "assets/"

//go:embed web
var web embed.FS

// SecurityPolicy is the Content-Security-Policy of every console response:
// only this origin's scripts, styles, images and API; no inline script or
// style, no plugins, no framing.
const SecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

type file struct {
	body  []byte
	ctype string
	etag  string
}

// Handler serves the console: files under /console/assets/, index.html for
// every other path under /console/.
func Handler() http.Handler {
	files := map[string]file{}
	err := fs.WalkDir(web, "web", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := web.ReadFile(p)
		if err != nil {
			return err
		}
		ctype := mime.TypeByExtension(path.Ext(p))
		if ctype == "" {
			ctype = "application/octet-stream"
		}
		sum := sha256.Sum256(b)
		files[Path+strings.TrimPrefix(p, "web/")] = file{body: b, ctype: ctype, etag: `"` + hex.EncodeToString(sum[:8]) + `"`}
		return nil
	})
	if err != nil {
		panic(err) // the files are in the binary: a failure is a build defect
	}
	index := files[Path+"index.html"]
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", SecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		f, ok := files[r.URL.Path]
		switch {
		case ok:
		case strings.HasPrefix(r.URL.Path, assetsPrefix):
			http.Error(w, "404 page not found", http.StatusNotFound)
			return
		default:
			f = index // a page of the console: its script routes it
		}
		// Revalidate every time: a new binary must never run with an old
		// script; the ETag keeps that cheap.
		h.Set("Cache-Control", "no-cache")
		h.Set("ETag", f.etag)
		h.Set("Content-Type", f.ctype)
		http.ServeContent(w, r, "", zeroTime, bytes.NewReader(f.body))
	})
}

var zeroTime = time.Time{}
