package dispute

import (
	"slices"

	"github.com/govshare/govshare/internal/problem"
)

// Tier says why an authority coordinates a dispute (Art. 28).
type Tier string

const (
	// SameLevel: both parties are departments of one government, so their
	// same-level authority coordinates (同级 … 向同级政务数据共享主管部门申请协调处理).
	SameLevel Tier = "same_level"
	// CommonSuperior: the parties are at different levels or in different
	// regions, so the lowest authority above both coordinates
	// (跨层级、跨地域 … 由共同的上级政务数据共享主管部门协调处理).
	CommonSuperior Tier = "common_superior"
)

var errNoCoordinator = problem.New(problem.Invalid, "dispute.no_authority", "未找到可协调处理争议的政务数据共享主管部门",
	"no competent authority is registered at or above the lowest division that holds both parties")

// Coordinator finds the division whose competent authority coordinates a
// dispute between departments in divisions a and b. a and b are each a
// division followed by those above it, nearest first (a township, its
// county, city, province, the nation); hasAuthority says which divisions
// have a competent authority (townships and villages have none, Art. 8).
//
// Parties in one division are of one government: their own authority (or,
// for a township, the nearest above) coordinates, tier SameLevel. Otherwise
// the lowest division holding both is found, and the nearest authority at or
// above it coordinates, tier CommonSuperior. The rule is pure so that the
// table tests can drive it with any tree.
func Coordinator(a, b []string, hasAuthority func(code string) bool) (string, Tier, error) {
	if len(a) == 0 || len(b) == 0 {
		return "", "", errNoCoordinator
	}
	tier := CommonSuperior
	if a[0] == b[0] {
		tier = SameLevel
	}
	inB := make(map[string]bool, len(b))
	for _, c := range b {
		inB[c] = true
	}
	common := -1
	for i, c := range a {
		if inB[c] {
			common = i
			break
		}
	}
	if common < 0 {
		return "", "", errNoCoordinator
	}
	for _, c := range a[common:] {
		if hasAuthority(c) {
			return c, tier, nil
		}
	}
	return "", "", errNoCoordinator
}

// Independent is Coordinator for two parties, where authorityIn names the
// authority department of a division ("" for none): when the authority it
// finds is itself one of the parties (an authority also holds and uses
// data), the next authority above coordinates instead, as the common
// superior, so that no authority coordinates its own dispute.
func Independent(a, b []string, authorityIn func(code string) string, parties ...string) (string, Tier, error) {
	code, tier, err := Coordinator(a, b, func(c string) bool { return authorityIn(c) != "" })
	if err != nil || !slices.Contains(parties, authorityIn(code)) {
		return code, tier, err
	}
	code, _, err = Coordinator(a, b, func(c string) bool { return authorityIn(c) != "" && !slices.Contains(parties, authorityIn(c)) })
	return code, CommonSuperior, err
}

// GovernmentName is the people's government at the level of an authority in
// division name at level national or not: the State Council for the national
// level (国务院), else "<division>人民政府". A coordinated dispute that stays
// unresolved is reported to it for decision (报本级人民政府决定).
func GovernmentName(divisionName string, national bool) string {
	if national {
		return "国务院"
	}
	return divisionName + "人民政府"
}
