package calendar

import (
	"embed"
	"fmt"
	"io/fs"
	"sync"
)

// The official notices ship inside the binary so that a fresh install gives
// correct deadlines without any setup.
//
//go:embed data/*.json
var builtinFS embed.FS

var builtinYears = sync.OnceValue(func() []Year {
	files, err := fs.Glob(builtinFS, "data/*.json")
	if err != nil {
		panic(err)
	}
	var years []Year
	for _, f := range files {
		b, err := builtinFS.ReadFile(f)
		if err != nil {
			panic(err)
		}
		y, err := ParseYear(b)
		if err != nil {
			// Only reachable if the embedded data is broken; a test
			// loads it, so this cannot reach a release.
			panic(fmt.Sprintf("calendar: embedded %s: %v", f, err))
		}
		years = append(years, y)
	}
	return years
})

var builtin = sync.OnceValue(func() *Calendar {
	c, err := New(builtinYears()...)
	if err != nil {
		panic(fmt.Sprintf("calendar: embedded data: %v", err))
	}
	return c
})

// Builtin returns the calendar of the embedded official notices. It panics
// only if the embedded data is invalid, which a test rules out.
func Builtin() *Calendar { return builtin() }

// BuiltinYears returns copies of the embedded notices, in year order.
func BuiltinYears() []Year {
	src := builtinYears()
	out := make([]Year, len(src))
	for i, y := range src {
		out[i] = y.clone()
	}
	return out
}
