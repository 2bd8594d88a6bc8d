package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"io"
	"os/user"
	"strings"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/org"
)

func operatorName() string {
	if u, err := user.Current(); err == nil {
		return u.Username
	}
	return "unknown"
}

// cmdUserAdd opens an account from the server's command line — how the
// first platform administrator comes to exist.
func cmdUserAdd(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("user add", stderr)
	db := dbFlag(fs)
	username := fs.String("username", "", "login name (a-z 0-9 . _ -)")
	name := fs.String("name", "", "display name")
	role := fs.String("role", string(access.PlatformAdmin), "role: platform_admin, authority_reviewer, office_head, office_staff, auditor, contractor")
	dept := fs.String("department", "", "department ID (required for department roles)")
	fromStdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input instead of generating one")
	if err := fs.Parse(args); err != nil {
		return err
	}
	password := ""
	generated := false
	if *fromStdin {
		line, err := bufio.NewReader(stdin).ReadString('\n')
		if err != nil && err != io.EOF {
			return fmt.Errorf("read password: %w", err)
		}
		password = strings.TrimRight(line, "\r\n")
	} else {
		b := make([]byte, 15)
		if _, err := rand.Read(b); err != nil {
			return err
		}
		password, generated = base64.RawURLEncoding.EncodeToString(b), true
	}
	log := newLogger(io.Discard)
	a, err := openApp(ctx, *db, log)
	if err != nil {
		return err
	}
	defer a.Store.Close()
	p, err := a.Org.CreatePerson(ctx, access.Operator(operatorName()), org.NewPerson{
		Username: *username, DisplayName: *name, DepartmentID: *dept, Roles: []access.Role{access.Role(*role)}, Password: password,
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "created %s (%s) with role %s, id %s\n", p.Username, p.DisplayName, *role, p.ID)
	if generated {
		fmt.Fprintf(stdout, "initial password (shown once; change it after signing in): %s\n", password)
	}
	return nil
}
