package correction

import (
	"net/url"
	"strings"
	"time"

	"github.com/govshare/govshare/internal/problem"
)

// Rules is one version of a department's correction rules and channel
// (Art. 26: 建立政务数据校核纠错规则，提供纠错渠道). The platform itself is
// always a channel (a correction request filed here); the department adds
// the contact who takes corrections and, if it has one, its own address.
// Versions are numbered per department from 1 and never changed: a request
// filed under a version can be read against what it said.
type Rules struct {
	DepartmentID string    `json:"department_id"`
	Version      int64     `json:"version"`
	Rules        string    `json:"rules"`   // 校核纠错规则
	Contact      string    `json:"contact"` // the office or person taking corrections
	Phone        string    `json:"phone"`
	URL          string    `json:"url,omitempty"` // the department's own correction address, if any
	Note         string    `json:"note,omitempty"`
	CreatedBy    string    `json:"created_by"`
	CreatedAt    time.Time `json:"created_at"`
}

// RulesInput is a new version; Version is the department's newest version
// last read (0 when it has none).
type RulesInput struct {
	Rules   string `json:"rules"`
	Contact string `json:"contact"`
	Phone   string `json:"phone"`
	URL     string `json:"url"`
	Note    string `json:"note"`
	Version int64  `json:"version"`
}

// CleanRules checks a new version of the rules.
func CleanRules(in RulesInput) (RulesInput, error) {
	var err error
	if in.Version < 0 {
		return in, problem.Field("version", "correction.version_invalid", "版本号无效", "version is the newest rules version read, 0 if none")
	}
	if in.Rules, err = text("rules", "校核纠错规则", in.Rules, true, 4*MaxTextRunes); err != nil {
		return in, err
	}
	if in.Contact, err = text("contact", "纠错联系人或机构", in.Contact, true, MaxRowRunes); err != nil {
		return in, err
	}
	if in.Phone, err = text("phone", "联系电话", in.Phone, true, 40); err != nil {
		return in, err
	}
	if strings.Trim(in.Phone, "0123456789-+() 转") != "" {
		return in, problem.Field("phone", "correction.phone_invalid", "联系电话格式有误", "phone may hold digits, spaces, + - ( ) and 转 only")
	}
	if in.URL, err = text("url", "纠错渠道网址", in.URL, false, 500); err != nil {
		return in, err
	}
	if in.URL != "" {
		u, perr := url.Parse(in.URL)
		if perr != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return in, problem.Field("url", "correction.url_invalid", "纠错渠道网址格式有误", "url must be an http or https address")
		}
	}
	if in.Note, err = text("note", "备注", in.Note, false, MaxTextRunes); err != nil {
		return in, err
	}
	return in, nil
}
