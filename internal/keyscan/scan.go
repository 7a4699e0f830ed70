// Package keyscan finds key-shaped strings in files and in a git history, for
// `iamcreds scan`. It knows where a key is, not what it is: the caller hands it
// a Finder (model.FindKeys) and decodes, looks up and reports what it finds.
//
// Speed comes from doing little per byte: a file is read whole into a buffer
// its worker reuses, a NUL byte in its first 8 KiB marks it binary and ends the
// read, and the buffer is searched for the keys' literal prefixes with
// bytes.Index (SIMD in the standard library); the Finder runs only on the line
// around a prefix, and line numbers are counted only up to a hit.
//
// A Hit carries the key itself, because the caller must decode and look it up:
// nothing in this package prints, logs or wraps it in an error.
package keyscan

import (
	"bytes"
	"runtime"
	"strings"
)

// Finder returns the byte spans of key-shaped strings in b: model.FindKeys.
type Finder func(b []byte) [][2]int

// Prefixes are the literal starts of every key kind a Finder looks for
// (model.FindKeys; a test checks they agree): a line with none of them cannot
// hold a key, so the Finder never sees it.
var Prefixes = []string{"ABSK", "AEAA", "AKIA", "ASIA", "bedrock-api-key-", "aws-external-anthropic-api-key-"}

// apiKeyAnchor is what the short-term prefixes share: '-' is rarer in text
// than their first letters, so it is what the search looks for.
const apiKeyAnchor = "-api-key-"

// DefaultMaxFileSize is the largest file read by default: a key sits in
// configuration, source and logs, not in a 100 MB data dump, and a file that
// big is skipped (and counted) rather than read. --max-file-size changes it.
const DefaultMaxFileSize = 20 << 20

// binarySniff is how much of a file is looked at for a NUL byte, as git and
// grep decide that a file is binary.
const binarySniff = 8 << 10

// maxWindow bounds the text around a prefix that the Finder sees: a
// minified file's single line can be megabytes long.
const (
	maxBefore = 256
	maxAfter  = 16 << 10
)

// Options tune a scan. The zero value is usable with Find set.
type Options struct {
	Find        Finder
	MaxFileSize int64 // 0: DefaultMaxFileSize; negative: no limit
	Workers     int   // 0: GOMAXPROCS
	// NoIgnore reads files .gitignore excludes too (a plain scan honours it
	// inside a git work tree).
	NoIgnore bool
	// Git is the git program ("" finds "git" on PATH).
	Git string
}

func (o Options) maxSize() int64 {
	switch {
	case o.MaxFileSize == 0:
		return DefaultMaxFileSize
	case o.MaxFileSize < 0:
		return 1<<63 - 1
	}
	return o.MaxFileSize
}

func (o Options) workers() int {
	if o.Workers > 0 {
		return o.Workers
	}
	return runtime.GOMAXPROCS(0)
}

func (o Options) git() string {
	if o.Git != "" {
		return o.Git
	}
	return "git"
}

// Hit is one key-shaped string and where it was.
type Hit struct {
	// Key is the string itself, for decoding and lookup. Never print it.
	Key    string
	Path   string // slash-separated; relative to the working directory when under it
	Line   int    // 1-based
	Column int    // 1-based, in bytes
	// Commit is the commit whose diff added the line (a --git hit), "" for a file.
	Commit string
	// Count is how many added lines across the history carry the key (a --git
	// hit is reported once, at the first commit that added it); 1 for a file.
	Count int
}

// Location is "path:line" or "commit:path:line" (a commit shortened to 12).
func (h Hit) Location() string {
	loc := h.Path + ":" + itoa(h.Line)
	if h.Commit != "" {
		c := h.Commit
		if len(c) > 12 {
			c = c[:12]
		}
		loc = c + ":" + loc
	}
	return loc
}

func itoa(n int) string {
	var b [20]byte
	i := len(b)
	if n == 0 {
		return "0"
	}
	neg := n < 0
	if neg {
		n = -n
	}
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}

// Stats say what a scan read and what it skipped, and why.
type Stats struct {
	Files       int64 // files read and searched
	Bytes       int64 // their bytes
	Binary      int64 // skipped: a NUL byte in the first 8 KiB
	Large       int64 // skipped: larger than the size cap
	Unreadable  int64 // skipped: could not be opened or read (permissions, vanished)
	Commits     int64 // --git: commits whose diffs were read
	FirstErrors []string
}

func (s *Stats) add(o Stats) {
	s.Files += o.Files
	s.Bytes += o.Bytes
	s.Binary += o.Binary
	s.Large += o.Large
	s.Unreadable += o.Unreadable
	s.Commits += o.Commits
	for _, e := range o.FirstErrors {
		if len(s.FirstErrors) < 5 {
			s.FirstErrors = append(s.FirstErrors, e)
		}
	}
}

// isBinary is git's and grep's test: a NUL byte early in the file.
func isBinary(b []byte) bool {
	if len(b) > binarySniff {
		b = b[:binarySniff]
	}
	return bytes.IndexByte(b, 0) >= 0
}

// searcher finds keys in buffers: the prefixes first, the Finder on the line
// around each.
type searcher struct {
	find   Finder
	groups []prefixGroup
}

// prefixGroup is the prefixes found by one search: "ABSK", "AEAA", "AKIA",
// "ASIA" by one bytes.IndexByte pass for 'A' (SIMD), the short-term ones by
// one bytes.Index pass for "-api-key-" — not a pass for each.
type prefixGroup struct {
	anchor   []byte
	prefixes [][]byte
	offsets  []int     // where the anchor is in each prefix
	second   [256]bool // a one-byte anchor at offset 0: the prefixes' second bytes
}

func newSearcher(find Finder) *searcher {
	s := &searcher{find: find}
	for _, p := range Prefixes {
		anchor, off := p[:1], 0
		if i := strings.Index(p, apiKeyAnchor); i >= 0 {
			anchor, off = apiKeyAnchor, i
		}
		i := 0
		for i < len(s.groups) && string(s.groups[i].anchor) != anchor {
			i++
		}
		if i == len(s.groups) {
			s.groups = append(s.groups, prefixGroup{anchor: []byte(anchor)})
		}
		g := &s.groups[i]
		g.prefixes = append(g.prefixes, []byte(p))
		g.offsets = append(g.offsets, off)
		if off == 0 && len(anchor) == 1 {
			g.second[p[1]] = true
		}
	}
	return s
}

// next is the offset of the group's first prefix at or after from, or -1.
func (g *prefixGroup) next(b []byte, from int) int {
	single := len(g.anchor) == 1
	for search := from; search < len(b); {
		var i int
		if single {
			i = bytes.IndexByte(b[search:], g.anchor[0])
		} else {
			i = bytes.Index(b[search:], g.anchor)
		}
		if i < 0 {
			return -1
		}
		at := search + i
		search = at + 1
		if single && (at+1 >= len(b) || !g.second[b[at+1]]) {
			continue // most false starts end here
		}
		for k, p := range g.prefixes {
			start := at - g.offsets[k]
			if start >= from && bytes.HasPrefix(b[start:], p) {
				return start
			}
		}
	}
	return -1
}

// maxGroups bounds the prefix groups (two today): a cursor is then no allocation.
const maxGroups = 8

// cursor walks one buffer's prefixes in order, each group's next match kept
// until the walk passes it: every group's pass reads the buffer once.
type cursor struct {
	s    *searcher
	b    []byte
	next [maxGroups]int // per group: its next match, -1 none left, -2 not yet looked for
}

func (s *searcher) cursor(b []byte) cursor {
	c := cursor{s: s, b: b}
	for i := range s.groups {
		c.next[i] = -2
	}
	return c
}

// at is the offset of the first prefix at or after from, or -1.
func (c *cursor) at(from int) int {
	best := -1
	for i := range c.s.groups {
		n := c.next[i]
		if n == -2 || (n >= 0 && n < from) {
			n = c.s.groups[i].next(c.b, from)
			c.next[i] = n
		}
		if n >= 0 && (best < 0 || n < best) {
			best = n
		}
	}
	return best
}

// nextPrefix is the offset of the first prefix at or after from, or -1 (for
// one look; search keeps a cursor).
func (s *searcher) nextPrefix(b []byte, from int) int {
	c := s.cursor(b)
	return c.at(from)
}

// span is one key found in a buffer: its bytes, line and column.
type span struct {
	start, end   int
	line, column int
}

// search calls fn for every key in b, in order, with its line and column.
// Lines are counted only between hits.
func (s *searcher) search(b []byte, fn func(span)) {
	line, lineAt := 1, 0 // lineAt: the offset up to which newlines are counted
	lineStart := 0       // start of line number `line`
	cur := s.cursor(b)
	for pos := 0; pos < len(b); {
		c := cur.at(pos)
		if c < 0 {
			return
		}
		// The line holding c.
		n := bytes.Count(b[lineAt:c], nl)
		if n > 0 {
			line += n
			lineStart = lineAt + bytes.LastIndexByte(b[lineAt:c], '\n') + 1
		}
		lineAt = c
		end := bytes.IndexByte(b[c:], '\n')
		if end < 0 {
			end = len(b)
		} else {
			end += c
		}
		lo, hi := max(lineStart, c-maxBefore), min(end, c+maxAfter)
		cut := hi < end // the window ends inside the line: a key may run past it
		next := hi
		if cut {
			next = c + 1
		}
		for _, sp := range s.find(b[lo:hi]) {
			st, en := lo+sp[0], lo+sp[1]
			if st < c || en <= st || en > hi || (cut && en == hi) {
				continue // before the prefix, nonsense, or perhaps cut short
			}
			fn(span{start: st, end: en, line: line, column: st - lineStart + 1})
			if cut && en > next {
				next = en
			}
		}
		pos = next
	}
}

var nl = []byte{'\n'}
