package correction

import (
	"time"

	"github.com/govshare/govshare/internal/problem"
)

// UsageStatus is the consumer's record of how it stands with the data a
// grant gave it (Art. 26: 需求部门应当记录政务数据使用状态). The names follow
// the law's sense: data in normal use; data in use whose accuracy or
// completeness the consumer doubts (the state in which it should file a
// correction request); data it does not (or no longer) use.
type UsageStatus string

const (
	InUse    UsageStatus = "in_use"     // 正常使用
	Doubtful UsageStatus = "doubtful"   // 存疑待核: believed inaccurate or incomplete
	NotInUse UsageStatus = "not_in_use" // 未使用或停止使用
)

var statusName = map[UsageStatus]string{InUse: "正常使用", Doubtful: "存疑待核", NotInUse: "未使用或停止使用"}

// Status is one entry of a grant's usage-status history. Entries are
// numbered per grant from 1; the newest is the current status. History is
// append-only, so what the consumer stated on a day stays readable.
type Status struct {
	GrantID    string      `json:"grant_id"`
	Version    int64       `json:"version"`
	ConsumerID string      `json:"consumer_id"`
	ProviderID string      `json:"provider_id"`
	Status     UsageStatus `json:"status"`
	Note       string      `json:"note"`
	SetBy      string      `json:"set_by"`
	SetAt      time.Time   `json:"set_at"`
}

// StatusInput is what the consumer records; Version is the grant's newest
// status version it last read (0 when none was recorded yet).
type StatusInput struct {
	Status  UsageStatus `json:"status"`
	Note    string      `json:"note"`
	Version int64       `json:"version"`
}

// CleanStatus checks a status input. A note is required for any status but
// normal use: a doubt or a stop needs its reason.
func CleanStatus(in StatusInput) (StatusInput, error) {
	if _, ok := statusName[in.Status]; !ok {
		return in, problem.Fieldf("status", "correction.status_invalid", "请选择使用状态",
			"status must be in_use, doubtful or not_in_use; got %q", in.Status)
	}
	if in.Version < 0 {
		return in, problem.Field("version", "correction.version_invalid", "版本号无效", "version is the newest status version read, 0 if none")
	}
	var err error
	if in.Note, err = text("note", "说明", in.Note, in.Status != InUse, MaxTextRunes); err != nil {
		return in, err
	}
	return in, nil
}
