package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/govshare/govshare/internal/files"
)

var _ files.Tx = (*Tx)(nil)

const sharedFileCols = "id, entry_id, provider_id, name, media_type, size, sm3, watermark, uploaded_by, uploaded_at, deleted_by, deleted_at"

func scanSharedFile(row interface{ Scan(...any) error }) (files.File, error) {
	var f files.File
	var mark string
	var deletedBy sql.NullString
	err := row.Scan(&f.ID, &f.EntryID, &f.ProviderID, &f.Name, &f.MediaType, &f.Size, &f.SM3, &mark, &f.UploadedBy,
		timeValue{&f.UploadedAt}, &deletedBy, nullTime{&f.DeletedAt})
	f.Watermark, f.DeletedBy = files.Mark(mark), deletedBy.String
	return f, err
}

// InsertSharedFile implements files.Tx.
func (t *Tx) InsertSharedFile(ctx context.Context, f files.File) error {
	_, err := t.exec(ctx, `INSERT INTO shared_files (`+sharedFileCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
		f.ID, f.EntryID, f.ProviderID, f.Name, f.MediaType, f.Size, f.SM3, string(f.Watermark), f.UploadedBy, f.UploadedAt.UTC(),
		nullable(f.DeletedBy), timeOrNil(f.DeletedAt))
	if err != nil {
		return fmt.Errorf("store: insert file: %w", err)
	}
	return nil
}

// SharedFile implements files.Tx.
func (t *Tx) SharedFile(ctx context.Context, id string) (*files.File, error) {
	f, err := scanSharedFile(t.tx.QueryRowContext(ctx, "SELECT "+sharedFileCols+" FROM shared_files WHERE id = $1", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: file %s: %w", id, err)
	}
	return &f, nil
}

// ListSharedFiles implements files.Tx: oldest first, by ID (time-ordered).
func (t *Tx) ListSharedFiles(ctx context.Context, f files.Filter) ([]files.File, error) {
	q := newQuery("SELECT " + sharedFileCols + " FROM shared_files WHERE 1=1")
	q.where("entry_id = ?", f.EntryID)
	if !f.IncludeDeleted {
		q.where("deleted_at IS NULL")
	}
	if f.After != "" {
		q.where("id > ?", f.After)
	}
	q.tail(" ORDER BY id LIMIT " + q.arg(limitOf(f.Limit)))
	rows, err := t.tx.QueryContext(ctx, q.String(), q.args...)
	if err != nil {
		return nil, fmt.Errorf("store: list files: %w", err)
	}
	defer rows.Close()
	out := []files.File{}
	for rows.Next() {
		x, err := scanSharedFile(rows)
		if err != nil {
			return nil, fmt.Errorf("store: list files: %w", err)
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

// DeleteSharedFile implements files.Tx.
func (t *Tx) DeleteSharedFile(ctx context.Context, id, by string, at time.Time) (bool, error) {
	ok, err := t.execOne(ctx, `UPDATE shared_files SET deleted_by = $1, deleted_at = $2 WHERE id = $3 AND deleted_at IS NULL`, by, at.UTC(), id)
	if err != nil {
		return false, fmt.Errorf("store: delete file: %w", err)
	}
	return ok, nil
}

// InsertFileLink implements files.Tx.
func (t *Tx) InsertFileLink(ctx context.Context, l files.Link) error {
	_, err := t.exec(ctx, `INSERT INTO file_links (id, file_id, grant_id, system_id, person_id, department_id, purpose, created_at, expires_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, l.ID, l.FileID, l.GrantID, nullable(l.SystemID), nullable(l.PersonID), l.DepartmentID, l.Purpose,
		l.CreatedAt.UTC(), l.ExpiresAt.UTC())
	if err != nil {
		return fmt.Errorf("store: insert file link: %w", err)
	}
	return nil
}

// FileLink implements files.Tx.
func (t *Tx) FileLink(ctx context.Context, id string) (*files.Link, error) {
	var (
		l                files.Link
		system, personID sql.NullString
	)
	err := t.tx.QueryRowContext(ctx, `SELECT id, file_id, grant_id, system_id, person_id, department_id, purpose, created_at, expires_at
FROM file_links WHERE id = $1`, id).
		Scan(&l.ID, &l.FileID, &l.GrantID, &system, &personID, &l.DepartmentID, &l.Purpose, timeValue{&l.CreatedAt}, timeValue{&l.ExpiresAt})
	l.SystemID, l.PersonID = system.String, personID.String
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: file link %s: %w", id, err)
	}
	return &l, nil
}
