package files

import (
	"time"

	"github.com/govshare/govshare/internal/problem"
)

// File is one uploaded file of a catalog entry, as stored. Its bytes are in
// the files directory under its ID; a deleted file keeps its row for the
// record.
type File struct {
	ID         string `json:"id"`
	EntryID    string `json:"entry_id"`
	ProviderID string `json:"provider_id"`
	Name       string `json:"name"`
	MediaType  string `json:"media_type"`
	Size       int64  `json:"size"`
	// SM3 is the hex SM3 digest of the file as uploaded (copies differ in
	// their watermark).
	SM3 string `json:"sm3"`
	// Watermark is how each downloaded copy is marked.
	Watermark  Mark       `json:"watermark"`
	UploadedBy string     `json:"uploaded_by"`
	UploadedAt time.Time  `json:"uploaded_at"`
	DeletedBy  string     `json:"deleted_by,omitempty"`
	DeletedAt  *time.Time `json:"deleted_at,omitempty"`
}

// Live reports whether the file is not deleted.
func (f File) Live() bool { return f.DeletedAt == nil }

// Link is a download link: an id, not a secret. It works only for the
// system, or the person, that asked for it, under its grant, until
// ExpiresAt. Exactly one of SystemID and PersonID is set.
type Link struct {
	ID           string    `json:"id"`
	FileID       string    `json:"file_id"`
	GrantID      string    `json:"grant_id"`
	SystemID     string    `json:"system_id,omitempty"`
	PersonID     string    `json:"person_id,omitempty"`
	DepartmentID string    `json:"department_id"`
	Purpose      string    `json:"purpose"`
	CreatedAt    time.Time `json:"created_at"`
	ExpiresAt    time.Time `json:"expires_at"`
}

// Upload describes an upload's body as the uploader declares it.
type Upload struct {
	Name      string // the file name, without directories
	MediaType string // "" or application/octet-stream: guessed from Name
	Length    int64  // the declared length, -1 when unknown (chunked)
	SM3       string // the declared hex SM3 digest, "" when none
}

// Filter narrows a listing of an entry's files.
type Filter struct {
	EntryID        string
	IncludeDeleted bool
	Limit          int
	After          string // ID
}

// Ledger actions.
const (
	ActionUpload   = "file.upload"
	ActionDelete   = "file.delete"
	ActionList     = "gateway.file_list"
	ActionLink     = "gateway.file_link"
	ActionDownload = "gateway.file_download"
	// ActionDownloadStart records a download about to be served, before
	// any byte goes out: a crash during a multi-GB transfer cannot then
	// leave a copy out with no record of it. ActionDownload follows with
	// the bytes sent and the outcome.
	ActionDownloadStart = "gateway.file_download_start"
	// A person of the consumer's sharing office takes a file in the
	// console: the same acts, named for a person rather than the gateway.
	ActionPersonLink          = "file.link"
	ActionPersonDownloadStart = "file.download_start"
	ActionPersonDownload      = "file.download"
)

// HeaderSM3 declares an upload's SM3 digest (64 hex digits); a body that
// does not match it is refused and nothing is kept.
const HeaderSM3 = "Govshare-SM3"

// Refusals. Codes are stable; docs/files.md lists them.
var (
	errNoStorage = &problem.Error{Code: "files.storage_missing", Title: "平台未配置文件存储目录",
		Detail: "the node has no files directory (--files-dir or GOVSHARE_FILES_DIR); files cannot be stored or served"}
	errNoEntry = &problem.Error{Kind: problem.NotFound, Code: "files.entry_not_found", Title: "目录不存在", Field: "entry_id",
		Detail: "no catalog entry has this id"}
	errUnpublished = problem.New(problem.Conflict, "files.entry_not_published", "目录尚未发布，不能上传文件",
		"files are uploaded only for a published catalog entry (Art. 16)")
	errMethodNotOffered = problem.New(problem.Conflict, "files.method_not_offered", "目录未提供文件下载方式",
		"the entry's published version does not offer file_download as a delivery method")
	errEmpty      = problem.Field("body", "files.empty", "文件不能为空", "the uploaded file has no bytes")
	errIncomplete = &problem.Error{Kind: problem.Malformed, Code: "files.upload_incomplete", Title: "文件上传不完整",
		Detail: "the body ended before its declared length, or the connection failed; nothing was kept, upload again"}
	errChecksum = &problem.Error{Kind: problem.Invalid, Code: "files.checksum_mismatch", Title: "文件校验值不一致", Field: HeaderSM3,
		Detail: "the body's SM3 digest differs from the declared " + HeaderSM3 + "; nothing was kept"}
	errNotFound = problem.NotFoundf("files.not_found", "文件不存在", "no such file, or it was deleted")
	errDeleted  = problem.New(problem.Conflict, "files.already_deleted", "文件已删除", "the file was already deleted")

	errGrantNotFound = problem.NotFoundf("grant.not_found", "共享授权不存在", "no such grant")
	errNotConsumer   = problem.New(problem.Forbidden, "gateway.not_consumer", "调用系统不属于该授权的使用部门",
		"only an application system of the grant's consumer department may use the grant")
	errMethodNotGranted = problem.New(problem.Forbidden, "files.method_not_granted", "该共享授权的共享方式不是文件下载",
		"the grant's delivery method is not file_download")
	errNotOfGrant = problem.New(problem.Forbidden, "files.not_of_grant", "文件不属于该共享授权的目录",
		"the file belongs to another catalog entry than the grant's")
	errLinkNotFound = problem.NotFoundf("files.link_not_found", "下载链接不存在", "no such download link")
	errLinkNotYours = problem.New(problem.Forbidden, "files.link_not_yours", "下载链接不属于调用系统",
		"a download link works only for the application system that asked for it")
	errLinkExpired = problem.New(problem.Forbidden, "files.link_expired", "下载链接已过期",
		"the download link has expired; ask for a new one")
)

// Refusals of a download that the HTTP layer detects while serving it
// (conditional and range requests); they are recorded as outcomes.
const (
	OutcomeNotModified      = "files.not_modified"
	OutcomeRangeInvalid     = "files.range_not_satisfiable"
	OutcomePreconditionFail = "files.precondition_failed"
	OutcomeInterrupted      = "files.interrupted"
)
