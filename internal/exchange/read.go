package exchange

import (
	"context"
	"fmt"
	"slices"

	"github.com/govshare/govshare/internal/catalog"
	"github.com/govshare/govshare/internal/delivery"
	"github.com/govshare/govshare/internal/grant"

	"github.com/govshare/govshare/internal/dataset"
	"github.com/govshare/govshare/internal/problem"
)

// view is what one grant or subscription may see of an entry's dataset:
// the items its rows carry and, for a return flow, the region its rows'
// division item must lie in.
type view struct {
	entryID string
	owner   string
	items   []string
	keep    map[string]bool
	// mask holds the items sent masked, with their data types (see
	// masking).
	mask map[string]catalog.DataType
	// return flow only
	divisionItem, division string
}

func newView(entryID, owner string, items []string) *view {
	v := &view{entryID: entryID, owner: owner, items: items, keep: make(map[string]bool, len(items))}
	for _, it := range items {
		v.keep[it] = true
	}
	return v
}

// masking makes v send the sensitive items of a grant masked, as the service
// interface does (delivery.Sensitive, delivery.MaskValue), unless the grant
// lists them in clear_items. Key items are never masked: the consumer needs
// them to apply updates and deletes to its copy, and the provider granted
// them knowing that. A return flow (Art. 24) is not masked: it gives a
// region's own departments their region's data, with no extra conditions.
func (v *view) masking(g *grant.Grant, sc *dataset.Schema) *view {
	for _, it := range sc.Items {
		if !v.keep[it.Name] || it.IsKey || !delivery.Sensitive(it.Grade) || slices.Contains(g.ClearItems, it.Name) {
			continue
		}
		if v.mask == nil {
			v.mask = map[string]catalog.DataType{}
		}
		v.mask[it.Name] = it.DataType
	}
	return v
}

var errCursorAhead = problem.Field("cursor", "exchange.cursor_invalid", "游标无效",
	"the cursor is ahead of the dataset's change feed; resume from a cursor this platform gave out")

// read builds the page that starts at the cursor s (the start of a new
// snapshot when s is ""), of at most limit records, in one read transaction.
func (v *view) read(ctx context.Context, tx Tx, s string, limit int) (*Page, error) {
	cur, ok, err := decodeCursor(s, v.owner)
	if err != nil {
		return nil, err
	}
	var last int64
	h, err := tx.Dataset(ctx, v.entryID)
	if err != nil {
		return nil, err
	}
	if h != nil {
		last = h.LastSeq
	}
	if !ok {
		cur = cursor{owner: v.owner, phase: Snapshot, pin: last}
	}
	if cur.pin > last || cur.after > last {
		return nil, errCursorAhead
	}
	var reg *region
	if v.divisionItem != "" {
		if reg, err = newRegion(ctx, tx, v.division, v.divisionItem); err != nil {
			return nil, err
		}
	}
	b := newBuilder(limit)
	p := &Page{Phase: cur.phase, Items: v.items, from: cur.after, pin: cur.pin}
	next := cur
	if cur.phase == Snapshot {
		done, err := v.snapshot(ctx, tx, reg, b, &next, limit)
		if err != nil {
			return nil, err
		}
		p.More = true
		if done {
			next = cursor{owner: v.owner, phase: Changes, pin: cur.pin, after: cur.pin}
			p.More = cur.pin < last
		}
	} else {
		done, err := v.changes(ctx, tx, reg, b, &next, limit, last)
		if err != nil {
			return nil, err
		}
		p.More = !done
	}
	p.Count, p.Records, p.Checksum = b.count, b.buf.Bytes(), b.checksum()
	p.NextCursor, p.to = next.encode(), next.after
	return p, nil
}

// snapshot adds the live rows after next.after up to the pin; done is true
// when none is left. It reads windows of change numbers: live rows are
// sparse among them (a row's number is that of its latest change), so a
// window that held few rows is followed by a wider one.
func (v *view) snapshot(ctx context.Context, tx Tx, reg *region, b *builder, next *cursor, limit int) (bool, error) {
	scanned := 0
	span := int64(2 * (limit + 1))
	for next.after < next.pin {
		upto := min(next.pin, next.after+span)
		rows, err := tx.SnapshotRows(ctx, v.entryID, next.after, upto, limit+1)
		if err != nil {
			return false, err
		}
		for _, r := range rows {
			if b.count == limit || scanned >= scanBudget {
				return false, nil
			}
			scanned++
			buf := b.begin()
			div, err := writeUpsert(buf, r.Seq, []byte(r.Data), v.keep, v.mask, v.divisionItem)
			if err != nil {
				return false, fmt.Errorf("exchange: row of change %d: %w", r.Seq, err)
			}
			in := true
			if reg != nil {
				if in, err = reg.contains(div); err != nil {
					return false, err
				}
			}
			if in {
				b.keep()
			} else {
				b.drop()
			}
			next.after = r.Seq
		}
		if len(rows) > limit {
			continue // the window has more rows than one query returns
		}
		// Every live row of the window is read; rows below the pin only
		// ever leave it (a change numbers them above the pin), so the
		// window is done.
		next.after = upto
		if len(rows)*4 < limit+1 {
			span *= 4
		}
	}
	return true, nil
}

// changes adds the changes after next.after up to last; done is true when
// the feed's end was reached.
func (v *view) changes(ctx context.Context, tx Tx, reg *region, b *builder, next *cursor, limit int, last int64) (bool, error) {
	scanned := 0
	// was: whether a row was in the region after a change already seen in
	// this request, so that only a row's first change here looks back.
	was := map[string]bool{}
	for next.after < last {
		cs, err := tx.FeedChanges(ctx, v.entryID, next.after, min(last, next.after+int64(limit+1)))
		if err != nil {
			return false, err
		}
		if len(cs) == 0 {
			return false, fmt.Errorf("exchange: change feed of %s has no change after %d", v.entryID, next.after)
		}
		for _, c := range cs {
			if b.count == limit || scanned >= scanBudget {
				return false, nil
			}
			scanned++
			if err := v.change(ctx, tx, reg, b, c, was); err != nil {
				return false, fmt.Errorf("exchange: change %d: %w", c.Seq, err)
			}
			next.after = c.Seq
		}
	}
	return true, nil
}

// change adds the record of one change. Without a region every change is a
// record. With one, an upsert inside it is a record; an upsert outside it or
// a delete is a delete record only if the row was inside before, so that a
// row moved out of the region is deleted at the subscriber and rows of other
// regions are never named.
func (v *view) change(ctx context.Context, tx Tx, reg *region, b *builder, c dataset.Change, was map[string]bool) error {
	if reg == nil {
		buf := b.begin()
		if c.Op == dataset.OpDelete {
			if err := writeDelete(buf, c.Seq, c.Key); err != nil {
				return err
			}
		} else if _, err := writeUpsert(buf, c.Seq, c.Data, v.keep, v.mask, ""); err != nil {
			return err
		}
		b.keep()
		return nil
	}
	key := string(c.Key)
	now := false
	if c.Op != dataset.OpDelete {
		buf := b.begin()
		div, err := writeUpsert(buf, c.Seq, c.Data, v.keep, v.mask, v.divisionItem)
		if err != nil {
			return err
		}
		if now, err = reg.contains(div); err != nil {
			return err
		}
		if now {
			b.keep()
			was[key] = true
			return nil
		}
		b.drop()
	}
	before, seen := was[key]
	if !seen {
		prior, err := tx.PriorChange(ctx, v.entryID, key, c.Seq)
		if err != nil {
			return err
		}
		if prior != nil && prior.Op != dataset.OpDelete {
			div, err := divisionOf(prior.Data, v.divisionItem)
			if err != nil {
				return err
			}
			if before, err = reg.contains(div); err != nil {
				return err
			}
		}
	}
	was[key] = now
	if before {
		if err := writeDelete(b.begin(), c.Seq, c.Key); err != nil {
			return err
		}
		b.keep()
	}
	return nil
}
