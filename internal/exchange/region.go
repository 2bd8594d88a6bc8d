package exchange

import (
	"context"

	"github.com/govshare/govshare/internal/org"
)

// region decides whether a row's division code lies in a subscriber's
// division, on the division tree: the root and everything below it. A code
// the tree does not hold (a village or township never registered on the
// platform) is judged by its nearest enclosing code that the tree does hold,
// found from the shape of GB/T 2260 and statistical codes; a malformed code
// is outside every region. Answers are cached for one request.
type region struct {
	ctx  context.Context
	tx   Tx
	item string
	in   map[string]bool
}

func newRegion(ctx context.Context, tx Tx, root, item string) (*region, error) {
	codes, err := tx.DivisionsWithin(ctx, root)
	if err != nil {
		return nil, err
	}
	r := &region{ctx: ctx, tx: tx, item: item, in: make(map[string]bool, len(codes)+16)}
	for _, c := range codes {
		r.in[c] = true
	}
	return r, nil
}

func (r *region) contains(code string) (bool, error) {
	if ok, seen := r.in[code]; seen {
		return ok, nil
	}
	ok, err := r.judge(code)
	if err != nil {
		return false, err
	}
	r.in[code] = ok
	return ok, nil
}

func (r *region) judge(code string) (bool, error) {
	if org.LevelOfCode(code) == "" {
		return false, nil
	}
	if d, err := r.tx.Division(r.ctx, code); err != nil || d != nil {
		return false, err // known to the tree and not below the root
	}
	for _, p := range enclosing(code) {
		if ok, seen := r.in[p]; seen {
			return ok, nil
		}
		d, err := r.tx.Division(r.ctx, p)
		if err != nil {
			return false, err
		}
		if d != nil {
			return false, nil // the nearest known unit is outside the root's subtree
		}
	}
	return false, nil
}

// enclosing lists the codes that may enclose code, nearest first: a village
// (12 digits) lies in the township of its first 9, a township in the county
// of its first 6, a county in its city (first 4 and 00) or directly in its
// province, a city in its province.
func enclosing(code string) []string {
	var out []string
	add := func(c string) {
		if c != code && (len(out) == 0 || out[len(out)-1] != c) {
			out = append(out, c)
		}
	}
	switch org.LevelOfCode(code) {
	case org.Village:
		add(code[:9])
		fallthrough
	case org.Township:
		add(code[:6])
		fallthrough
	case org.County, org.Municipal:
		add(code[:4] + "00")
		add(code[:2] + "0000")
	case org.Provincial:
		add(org.NationalCode)
	}
	return out
}
