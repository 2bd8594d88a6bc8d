package catalog_test

import (
	"context"
	"sync"
	"testing"

	"github.com/govshare/govshare/internal/calendar"
	"github.com/govshare/govshare/internal/catalog"
	"github.com/govshare/govshare/internal/problem"
	"github.com/govshare/govshare/internal/store"
	"github.com/govshare/govshare/internal/storetest"
)

// The whole life of an entry: draft, assessments, the head's approval,
// review by the same-level authority, return, resubmission, publication, a
// new version, and every act out of order refused without writing anything.
func TestEntryLifecycle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		ctx := context.Background()
		ok := must[catalog.Entry](t)
		gat := e.p.Departments["浙江省公安厅"]
		zj := e.p.Departments["浙江省数据局"]

		// unchanged asserts that a refused command wrote nothing.
		unchanged := func(id string, version int64, before int64) {
			t.Helper()
			if n := e.events(); n != before {
				t.Fatalf("a refused command wrote %d event(s)", n-before)
			}
			got := ok(e.cat.Get(ctx, e.as("gat.staff"), id))
			if got.Version != version {
				t.Fatalf("a refused command changed the entry: version %d -> %d", version, got.Version)
			}
		}

		en := ok(e.cat.Create(ctx, e.as("gat.staff"), e.draft("人口基本信息")))
		if en.ProviderID != gat.ID || en.DivisionCode != "330000" || en.State != catalog.Drafted || en.VersionNumber != 1 || en.PublishedVersion != nil {
			t.Fatalf("new entry %+v", en)
		}
		if en.Grade != catalog.GeneralL4 {
			t.Fatalf("grade %s, want the strictest item grade general_l4", en.Grade)
		}

		// Submission needs the office head (Art. 13) and both assessments.
		before := e.events()
		_, err := e.cat.Submit(ctx, e.as("gat.staff"), en.ID, en.Version)
		if !problem.Is(err, problem.Forbidden) {
			t.Fatalf("staff submitted: %v", err)
		}
		_, err = e.cat.Submit(ctx, e.as("gat.head"), en.ID, en.Version)
		refused(t, err, "catalog.assessment_missing", "assessments.secrecy")
		one := assessments(e.clock.Now())
		en = ok(e.cat.RecordAssessments(ctx, e.as("gat.staff"), en.ID, catalog.Assessments{Secrecy: one.Secrecy}, en.Version))
		before = e.events()
		_, err = e.cat.Submit(ctx, e.as("gat.head"), en.ID, en.Version)
		refused(t, err, "catalog.assessment_missing", "assessments.personal_information")
		unchanged(en.ID, en.Version, before)
		en = ok(e.cat.RecordAssessments(ctx, e.as("gat.staff"), en.ID, catalog.Assessments{PersonalInformation: one.PersonalInformation}, en.Version))

		// A stale version is a conflict.
		_, err = e.cat.Submit(ctx, e.as("gat.head"), en.ID, en.Version-1)
		refused(t, err, "conflict.version", "")

		// 2026-09-29 (Tue) + 2 WD: 09-30, then the National Day holiday
		// 10-01..10-07, so the review is due 10-08.
		en = ok(e.cat.Submit(ctx, e.as("gat.head"), en.ID, en.Version))
		cal := must[*calendar.Calendar](t)(e.app.Calendar.Current(ctx))
		want := must[calendar.Date](t)(cal.Due(calendar.Date{Year: 2026, Month: 9, Day: 29}, 2))
		if en.State != catalog.Submitted || en.Review == nil || en.Review.AuthorityID != zj.ID || en.Review.Due != want ||
			want != (calendar.Date{Year: 2026, Month: 10, Day: 8}) || en.Review.Rule == "" {
			t.Fatalf("submitted entry %+v review %+v, want due %s", en, en.Review, want)
		}

		// Out of order: submitting twice, editing under review.
		before = e.events()
		_, err = e.cat.Submit(ctx, e.as("gat.head"), en.ID, en.Version)
		refused(t, err, "catalog.wrong_state", "")
		_, err = e.cat.Update(ctx, e.as("gat.staff"), en.ID, e.draft("人口基本信息"), en.Version)
		refused(t, err, "catalog.wrong_state", "")
		unchanged(en.ID, en.Version, before)

		// Review: only a reviewer of the same-level authority (浙江省数据局);
		// 杭州's reviewer is another authority.
		_, err = e.cat.Publish(ctx, e.as("hz.reviewer"), en.ID, en.Version, "")
		if err == nil || problem.Is(err, problem.Invalid) {
			t.Fatalf("a foreign authority published: %v", err)
		}
		for _, who := range []string{"gat.head", "admin", "audit"} {
			if _, err := e.cat.Publish(ctx, e.as(who), en.ID, en.Version, ""); !problem.Is(err, problem.Forbidden) {
				t.Fatalf("%s published: %v", who, err)
			}
		}
		_, err = e.cat.Return(ctx, e.as("zj.reviewer"), en.ID, en.Version, "  ")
		refused(t, err, "catalog.reasons_required", "reasons")
		unchanged(en.ID, en.Version, before)

		en = ok(e.cat.Return(ctx, e.as("zj.reviewer"), en.ID, en.Version, "数据项缺少户籍地址"))
		if en.State != catalog.Returned || en.Review.Reasons != "数据项缺少户籍地址" || en.Review.DecidedAt == nil {
			t.Fatalf("returned entry %+v", en.Review)
		}
		before = e.events()
		_, err = e.cat.Publish(ctx, e.as("zj.reviewer"), en.ID, en.Version, "")
		refused(t, err, "catalog.wrong_state", "")
		unchanged(en.ID, en.Version, before)

		// Edited and submitted again, then published.
		d := e.draft("人口基本信息", "居民身份证号码", "姓名", "户籍地址")
		d.ResourceCode = en.ResourceCode
		en = ok(e.cat.Update(ctx, e.as("gat.staff"), en.ID, d, en.Version))
		if en.State != catalog.Drafted || en.VersionNumber != 1 || len(en.Items) != 3 {
			t.Fatalf("edited entry %+v", en)
		}
		en = ok(e.cat.Submit(ctx, e.as("gat.head"), en.ID, en.Version))
		en = ok(e.cat.Publish(ctx, e.as("zj.reviewer"), en.ID, en.Version, "同意"))
		if en.State != catalog.Published || en.PublishedVersion == nil || *en.PublishedVersion != 1 || en.PublishedAt == nil {
			t.Fatalf("published entry %+v", en)
		}
		before = e.events()
		_, err = e.cat.Return(ctx, e.as("zj.reviewer"), en.ID, en.Version, "再看看")
		refused(t, err, "catalog.wrong_state", "")
		unchanged(en.ID, en.Version, before)

		// Editing a published entry opens version 2; version 1 stays in
		// force and readable for everyone else.
		d2 := d
		d2.Items = append(append([]catalog.Item(nil), d.Items...), catalog.Item{Name: "民族", DataType: "C", Length: 20, Grade: catalog.Important})
		en = ok(e.cat.Update(ctx, e.as("gat.staff"), en.ID, d2, en.Version))
		if en.VersionNumber != 2 || en.State != catalog.Drafted || *en.PublishedVersion != 1 || en.Grade != catalog.Important {
			t.Fatalf("new version %+v", en)
		}
		if en.Assessments.Secrecy != nil {
			t.Fatal("a new version must be assessed anew")
		}
		other := ok(e.cat.Get(ctx, e.as("hzga.staff"), en.ID))
		if other.VersionNumber != 1 || other.State != catalog.Published || len(other.Items) != 3 {
			t.Fatalf("another department sees %d/%s with %d items, want published version 1", other.VersionNumber, other.State, len(other.Items))
		}
		en = ok(e.cat.RecordAssessments(ctx, e.as("gat.head"), en.ID, assessments(e.clock.Now()), en.Version))
		en = ok(e.cat.Submit(ctx, e.as("gat.head"), en.ID, en.Version))
		en = ok(e.cat.Publish(ctx, e.as("zj.reviewer"), en.ID, en.Version, ""))
		vs := must[[]catalog.Version](t)(e.cat.Versions(ctx, e.as("hzga.staff"), en.ID))
		if len(vs) != 2 || vs[0].State != catalog.Superseded || vs[1].State != catalog.Published || len(vs[0].Items) != 3 || len(vs[1].Items) != 4 {
			t.Fatalf("versions %+v", vs)
		}
		v1 := must[catalog.Version](t)(e.cat.Version(ctx, e.as("hzga.head"), en.ID, 1))
		if v1.Number != 1 || v1.Grade != catalog.GeneralL2 || v1.State != catalog.Superseded {
			t.Fatalf("version 1: %+v", v1)
		}
		_, err = e.cat.Version(ctx, e.as("hzga.head"), en.ID, 3)
		refused(t, err, "catalog.version_not_found", "")
	})
}

// Drafts are the provider's business: other departments do not learn they
// exist; auditors of the region and admins read them; a contractor reads nothing.
func TestDraftVisibility(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		ctx := context.Background()
		en := must[catalog.Entry](t)(e.cat.Create(ctx, e.as("gat.staff"), e.draft("出入境证件信息")))
		for who, code := range map[string]string{"hzga.head": "catalog.entry_not_found", "hz.reviewer": "catalog.entry_not_found",
			"zj.reviewer": "catalog.entry_not_found", "ops": "auth.forbidden"} {
			_, err := e.cat.Get(ctx, e.as(who), en.ID)
			refused(t, err, code, "")
			_, err = e.cat.Versions(ctx, e.as(who), en.ID)
			refused(t, err, code, "")
		}
		for _, who := range []string{"gat.staff", "gat.head", "audit", "admin"} {
			if _, err := e.cat.Get(ctx, e.as(who), en.ID); err != nil {
				t.Errorf("%s cannot read the draft: %v", who, err)
			}
		}
		// Once submitted, the same-level authority's reviewer sees it.
		en = must[catalog.Entry](t)(e.cat.RecordAssessments(ctx, e.as("gat.staff"), en.ID, assessments(e.clock.Now()), en.Version))
		must[catalog.Entry](t)(e.cat.Submit(ctx, e.as("gat.head"), en.ID, en.Version))
		if _, err := e.cat.Get(ctx, e.as("zj.reviewer"), en.ID); err != nil {
			t.Errorf("the reviewing authority cannot read the submitted entry: %v", err)
		}
		if _, err := e.cat.Get(ctx, e.as("hz.reviewer"), en.ID); err == nil {
			t.Error("another authority reads a submitted entry")
		}
		// The provider is the actor's department, never the request's;
		// people of no department cannot catalog.
		for _, who := range []string{"admin", "ops", "zj.reviewer", "audit"} {
			if _, err := e.cat.Create(ctx, e.as(who), e.draft("x")); !problem.Is(err, problem.Forbidden) {
				t.Errorf("%s created an entry: %v", who, err)
			}
		}
	})
}

// Two reviewers act on one submitted entry at once: one wins, the other gets
// a version conflict, and exactly one decision is recorded.
func TestConcurrentReviewersOneWins(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		ctx := context.Background()
		ok := must[catalog.Entry](t)
		for round := 0; round < 3; round++ {
			en := ok(e.cat.Create(ctx, e.as("gat.staff"), e.draft("并发审核测试")))
			en = ok(e.cat.RecordAssessments(ctx, e.as("gat.staff"), en.ID, assessments(e.clock.Now()), en.Version))
			en = ok(e.cat.Submit(ctx, e.as("gat.head"), en.ID, en.Version))
			before := e.events()
			reviewer := e.as("zj.reviewer")
			var wg sync.WaitGroup
			errs := make([]error, 2)
			wg.Add(2)
			go func() { defer wg.Done(); _, errs[0] = e.cat.Publish(ctx, reviewer, en.ID, en.Version, "同意") }()
			go func() { defer wg.Done(); _, errs[1] = e.cat.Return(ctx, reviewer, en.ID, en.Version, "不同意") }()
			wg.Wait()
			wins, conflicts := 0, 0
			for _, err := range errs {
				switch {
				case err == nil:
					wins++
				case problem.CodeOf(err) == "conflict.version":
					conflicts++
				default:
					t.Fatalf("unexpected error %v", err)
				}
			}
			if wins != 1 || conflicts != 1 {
				t.Fatalf("wins %d conflicts %d: %v", wins, conflicts, errs)
			}
			if n := e.events() - before; n != 1 {
				t.Fatalf("%d events recorded, want 1", n)
			}
			got := ok(e.cat.Get(ctx, e.as("gat.staff"), en.ID))
			if (errs[0] == nil) != (got.State == catalog.Published) || got.Version != en.Version+1 {
				t.Fatalf("state %s version %d after %v", got.State, got.Version, errs)
			}
		}
	})
}
