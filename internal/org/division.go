// Package org holds the organisations of government data sharing and the people
// who act for them: administrative divisions (GB/T 2260) with their levels, the
// departments in them — among them the competent authority of each level
// (Art. 8) and the other state organs that take part (Art. 43) — each
// department's sharing office and office head (Art. 11), and the roles people
// hold. Its rules are plain Go; Service runs them in one transaction per command.
package org

import (
	"strings"
	"time"

	"github.com/govshare/govshare/internal/problem"
)

// Level is the tier of an administrative division.
type Level string

const (
	National   Level = "national"   // 国家
	Provincial Level = "provincial" // 省级
	Municipal  Level = "municipal"  // 市级
	County     Level = "county"     // 县级
	Township   Level = "township"   // 乡镇
	Village    Level = "village"    // 村（社区）
)

// Levels lists the levels from the top down.
var Levels = []Level{National, Provincial, Municipal, County, Township, Village}

// Rank is 0 for national and grows downwards; -1 for an unknown level.
func (l Level) Rank() int {
	for i, x := range Levels {
		if x == l {
			return i
		}
	}
	return -1
}

// HasAuthority reports whether a government at this level has a competent
// authority for data sharing: the State Council and every government at county
// level and above (Art. 8). Townships and villages receive data but have none.
func (l Level) HasAuthority() bool { r := l.Rank(); return r >= 0 && r <= County.Rank() }

// NationalCode is the code this platform uses for the national level, which
// GB/T 2260 itself does not number.
const NationalCode = "100000"

// Division is an administrative division.
type Division struct {
	Code       string    `json:"code"`
	Name       string    `json:"name"`
	Level      Level     `json:"level"`
	ParentCode string    `json:"parent_code,omitempty"`
	CreatedAt  time.Time `json:"created_at"`
}

// Codes: GB/T 2260 gives six digits down to county level (PPCCXX); townships
// carry nine digits and villages twelve, the statistical division codes that
// extend the county code (GB/T 10114).
func codeLength(l Level) int {
	switch l {
	case Township:
		return 9
	case Village:
		return 12
	default:
		return 6
	}
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// LevelOfCode infers the level a code's shape implies, or "" if the code is malformed.
func LevelOfCode(code string) Level {
	if !allDigits(code) {
		return ""
	}
	switch len(code) {
	case 6:
		switch {
		case code == NationalCode:
			return National
		case code[2:] == "0000":
			if code[:2] == "00" {
				return ""
			}
			return Provincial
		case code[4:] == "00":
			return Municipal
		default:
			return County
		}
	case 9:
		if code[6:] == "000" {
			return ""
		}
		return Township
	case 12:
		if code[9:] == "000" {
			return ""
		}
		return Village
	}
	return ""
}

// possibleParents lists the codes that may be the parent of code: the
// enclosing units, nearest first. A county may sit directly under a province
// (districts of municipalities directly under the central government,
// county-level cities administered by the province).
func possibleParents(code string, level Level) []string {
	switch level {
	case Provincial:
		return []string{NationalCode}
	case Municipal:
		return []string{code[:2] + "0000"}
	case County:
		return []string{code[:4] + "00", code[:2] + "0000"}
	case Township:
		return []string{code[:6]}
	case Village:
		return []string{code[:9]}
	}
	return nil
}

// ValidateDivision checks a new division against its parent (nil for the national level).
func ValidateDivision(d Division, parent *Division) error {
	if strings.TrimSpace(d.Name) == "" {
		return problem.Field("name", "org.name_required", "名称不能为空", "name is required")
	}
	if len([]rune(d.Name)) > 100 {
		return problem.Field("name", "org.name_too_long", "名称过长", "name is longer than 100 characters")
	}
	if d.Level.Rank() < 0 {
		return problem.Fieldf("level", "org.level_invalid", "层级无效",
			"level must be one of national, provincial, municipal, county, township, village; got %q", d.Level)
	}
	implied := LevelOfCode(d.Code)
	if implied == "" {
		return problem.Fieldf("code", "org.division_code_invalid", "行政区划代码无效",
			"%q is not a division code: six digits (GB/T 2260) down to county level, nine for a township, twelve for a village", d.Code)
	}
	if implied != d.Level {
		return problem.Fieldf("level", "org.level_mismatch", "层级与行政区划代码不符",
			"code %s is a %s code, not %s", d.Code, implied, d.Level)
	}
	if d.Level == National {
		if d.ParentCode != "" {
			return problem.Field("parent_code", "org.parent_invalid", "上级行政区划无效", "the national level has no parent")
		}
		return nil
	}
	if d.ParentCode == "" {
		return problem.Field("parent_code", "org.parent_required", "必须指定上级行政区划", "parent_code is required below the national level")
	}
	ok := false
	for _, p := range possibleParents(d.Code, d.Level) {
		if p == d.ParentCode {
			ok = true
		}
	}
	if !ok {
		return problem.Fieldf("parent_code", "org.parent_invalid", "上级行政区划无效",
			"%s cannot be the parent of %s: its code must enclose the child's", d.ParentCode, d.Code)
	}
	if parent == nil {
		return problem.Fieldf("parent_code", "org.parent_unknown", "上级行政区划不存在", "division %s does not exist", d.ParentCode)
	}
	if parent.Level.Rank() >= d.Level.Rank() {
		return problem.Fieldf("parent_code", "org.parent_invalid", "上级行政区划无效",
			"a %s division cannot sit under a %s one", d.Level, parent.Level)
	}
	return nil
}

// Contains reports whether the division with code inner lies in (or is) outer,
// given a lookup of parents.
func Contains(outer, inner string, parentOf func(string) (string, bool)) bool {
	for c := inner; c != ""; {
		if c == outer {
			return true
		}
		p, ok := parentOf(c)
		if !ok {
			return false
		}
		c = p
	}
	return false
}
