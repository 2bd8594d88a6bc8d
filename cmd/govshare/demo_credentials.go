package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"

	"github.com/govshare/govshare/internal/demo"
)

// writeDemoCredentials keeps the demo systems' secrets, shown once at issue
// like every secret, in owner-only files of the demo's data directory, and
// prints how to use them, so that a newcomer can call the gateway with
// `govshare call`.
func writeDemoCredentials(dataDir string, d *demo.Deliveries, stdout io.Writer) error {
	if d == nil || len(d.Systems) == 0 {
		return nil
	}
	dir := filepath.Join(dataDir, "credentials")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("demo credentials: %w", err)
	}
	fmt.Fprintf(stdout, "\nDemo application systems (secrets in %s, owner-only):\n", dir)
	for _, sc := range d.Systems {
		if sc.Secret == "" {
			continue
		}
		path := filepath.Join(dir, sc.KeyID+".secret")
		if err := os.WriteFile(path, []byte(sc.Secret+"\n"), 0o600); err != nil {
			return fmt.Errorf("demo credentials: %w", err)
		}
		labels := make([]string, 0, len(sc.Grants))
		for l := range sc.Grants {
			labels = append(labels, l)
		}
		sort.Strings(labels)
		fmt.Fprintf(stdout, "  %s（%s）\n    key %s  secret file %s\n", sc.System, sc.Department, sc.KeyID, path)
		for _, l := range labels {
			fmt.Fprintf(stdout, "    grant %s (application %s)\n", sc.Grants[l], l)
		}
	}
	for sub, id := range d.ReturnFlows {
		fmt.Fprintf(stdout, "  return flow of 最低生活保障对象信息 to %s: subscription %s\n", sub, id)
	}
	return nil
}
