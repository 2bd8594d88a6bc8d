package dispute

import "testing"

// tree is a small division tree: a nation, two provinces, two cities in the
// first, two counties in the first city, a township in the first county.
var tree = map[string]string{ // code -> parent
	"100000":    "",
	"330000":    "100000",
	"320000":    "100000",
	"330100":    "330000",
	"330200":    "330000",
	"330106":    "330100",
	"330108":    "330100",
	"330203":    "330200",
	"330106001": "330106",
	"330106002": "330106",
}

func up(code string) []string {
	var out []string
	for c := code; c != ""; c = tree[c] {
		out = append(out, c)
	}
	return out
}

// Every division at county level and above has an authority; townships none.
func hasAuthority(code string) bool { return len(code) == 6 }

func TestCoordinator(t *testing.T) {
	for _, c := range []struct {
		name     string
		a, b     string
		want     string
		wantTier Tier
	}{
		{"two departments of one county", "330106", "330106", "330106", SameLevel},
		{"two departments of one province", "330000", "330000", "330000", SameLevel},
		{"two counties in one city: the city's authority", "330106", "330108", "330100", CommonSuperior},
		{"county vs province department: the province's", "330106", "330000", "330000", CommonSuperior},
		{"province vs county department, either order", "330000", "330203", "330000", CommonSuperior},
		{"counties in two cities: the province's", "330106", "330203", "330000", CommonSuperior},
		{"two provinces: national", "330000", "320000", "100000", CommonSuperior},
		{"county in one province vs another province: national", "330108", "320000", "100000", CommonSuperior},
		{"township vs its county department: the county's", "330106001", "330106", "330106", CommonSuperior},
		{"two offices of one township: the county's, same level", "330106001", "330106001", "330106", SameLevel},
		{"two townships of one county: the county's", "330106001", "330106002", "330106", CommonSuperior},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, tier, err := Coordinator(up(c.a), up(c.b), hasAuthority)
			if err != nil {
				t.Fatal(err)
			}
			if got != c.want || tier != c.wantTier {
				t.Errorf("Coordinator(%s, %s) = %s %s, want %s %s", c.a, c.b, got, tier, c.want, c.wantTier)
			}
		})
	}
}

func TestCoordinatorWithoutAuthority(t *testing.T) {
	none := func(string) bool { return false }
	if _, _, err := Coordinator(up("330106"), up("330108"), none); err == nil || errNoCoordinator.Code != "dispute.no_authority" {
		t.Errorf("no authority anywhere: err %v, want dispute.no_authority", err)
	}
	// Trees that do not meet (corrupt data) have no coordinator either.
	if _, _, err := Coordinator([]string{"1"}, []string{"2"}, hasAuthority); err == nil {
		t.Error("disjoint chains: no error")
	}
	// Only the national level has one: everything goes to it.
	national := func(c string) bool { return c == "100000" }
	if got, _, err := Coordinator(up("330106"), up("330108"), national); err != nil || got != "100000" {
		t.Errorf("only a national authority: got %s %v", got, err)
	}
}

func TestGovernmentName(t *testing.T) {
	if g := GovernmentName("全国", true); g != "国务院" {
		t.Errorf("national: %s", g)
	}
	if g := GovernmentName("杭州市", false); g != "杭州市人民政府" {
		t.Errorf("city: %s", g)
	}
}

// An authority that is itself a party does not coordinate: the next one
// above does, as the common superior.
func TestIndependentCoordinator(t *testing.T) {
	authorityIn := func(c string) string {
		if hasAuthority(c) {
			return "auth-" + c
		}
		return ""
	}
	for _, c := range []struct {
		name     string
		a, b     string
		parties  []string
		want     string
		wantTier Tier
	}{
		{"two departments of a province", "330000", "330000", []string{"d1", "d2"}, "330000", SameLevel},
		{"the province's authority against a provincial department: national", "330000", "330000", []string{"auth-330000", "d2"}, "100000", CommonSuperior},
		{"a city authority against a county department: the province", "330100", "330106", []string{"auth-330100", "d2"}, "330000", CommonSuperior},
		{"a county department against the city's authority, either order", "330106", "330100", []string{"d1", "auth-330100"}, "330000", CommonSuperior},
		{"the city's authority not a party: the city", "330106", "330108", []string{"d1", "d2"}, "330100", CommonSuperior},
	} {
		got, tier, err := Independent(up(c.a), up(c.b), authorityIn, c.parties...)
		if err != nil || got != c.want || tier != c.wantTier {
			t.Errorf("%s: %s %s %v, want %s %s", c.name, got, tier, err, c.want, c.wantTier)
		}
	}
	// The national authority against a national department: nobody above.
	if _, _, err := Independent(up("100000"), up("100000"), authorityIn, "auth-100000", "d"); err == nil {
		t.Error("the national authority as a party: no error")
	}
}
