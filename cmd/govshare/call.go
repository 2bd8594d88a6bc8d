package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/govshare/govshare/internal/gateway"
)

// cmdCall sends one signed gateway request as an application system would,
// so that a newcomer (and an operator checking a deployment) can use the
// service interface without writing a client. The secret comes from a file
// or the GOVSHARE_SECRET variable, never from the command line, where shell
// history and process listings would keep it.
func cmdCall(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("call", stderr)
	base := fs.String("url", "http://127.0.0.1:8080", "the platform's base URL")
	key := fs.String("key", os.Getenv("GOVSHARE_KEY"), "the credential's key ID (gsk_…), or GOVSHARE_KEY")
	secretFile := fs.String("secret-file", "", "a file holding the credential's secret (else GOVSHARE_SECRET)")
	bodyArg := fs.String("body", "", "the JSON body; @FILE reads a file, - reads standard input")
	out := fs.String("o", "", "write the answer's body to this file instead of standard output (for downloads)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 2 {
		return fmt.Errorf("usage: govshare call [--url URL] --key KEY [--secret-file F] [--body JSON|@FILE|-] [-o FILE] METHOD /gateway/v1/PATH")
	}
	method, path := strings.ToUpper(fs.Arg(0)), fs.Arg(1)
	if *key == "" {
		return fmt.Errorf("--key: give the credential's key ID (or set GOVSHARE_KEY)")
	}
	secret := os.Getenv("GOVSHARE_SECRET")
	if *secretFile != "" {
		b, err := os.ReadFile(*secretFile)
		if err != nil {
			return fmt.Errorf("--secret-file: %w", err)
		}
		secret = strings.TrimSpace(string(b))
	}
	if secret == "" {
		return fmt.Errorf("no secret: give --secret-file or set GOVSHARE_SECRET")
	}
	var body []byte
	switch {
	case *bodyArg == "-":
		b, err := io.ReadAll(stdin)
		if err != nil {
			return err
		}
		body = b
	case strings.HasPrefix(*bodyArg, "@"):
		b, err := os.ReadFile((*bodyArg)[1:])
		if err != nil {
			return fmt.Errorf("--body: %w", err)
		}
		body = b
	default:
		body = []byte(*bodyArg)
	}
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimRight(*base, "/")+path, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("request: %w", err)
	}
	if len(body) > 0 {
		req.Header.Set("Content-Type", "application/json")
	}
	gateway.Sign(req, *key, secret, body, time.Now(), gateway.NewNonce())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	fmt.Fprintf(stderr, "%s\n", resp.Status)
	for _, h := range []string{"RateLimit-Limit", "RateLimit-Remaining", "X-Quota-Remaining", "Govshare-Watermark"} {
		if v := resp.Header.Get(h); v != "" {
			fmt.Fprintf(stderr, "%s: %s\n", h, v)
		}
	}
	switch {
	case resp.StatusCode >= 400:
		// A refusal's problem document is shown, never saved with -o: it
		// must not replace a file downloaded before.
		w := stdout
		if *out != "" {
			w = stderr
		}
		_, _ = io.Copy(w, io.LimitReader(resp.Body, 64<<10))
		return fmt.Errorf("the platform answered %s", resp.Status)
	case *out != "":
		return saveAnswer(*out, resp.Body)
	}
	if _, err := io.Copy(stdout, resp.Body); err != nil {
		return fmt.Errorf("reading the answer: %w", err)
	}
	return nil
}

// saveAnswer writes a download to path whole or not at all: into an
// owner-only temporary file beside it (the copy holds granted data), renamed
// over path only once every byte arrived and was written.
func saveAnswer(path string, body io.Reader) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".part-*")
	if err != nil {
		return fmt.Errorf("-o: %w", err)
	}
	_, err = io.Copy(f, body)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("saving the answer to %s: %w", path, err)
	}
	return nil
}
