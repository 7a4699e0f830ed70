package keyscan

import (
	"math/rand/v2"
	"os"
	"strings"
	"testing"
)

// mixedText is source-like text: words, identifiers in capitals (AWS, API,
// ARN…), numbers, and no key.
func mixedText(n int) []byte {
	r := rand.New(rand.NewPCG(1, 2))
	words := []string{"func", "return", "the", "AWS", "ARN", "API", "Access", "Key", "bedrock", "AKI", "ABS",
		"value", "config", "if err != nil {", "}", "\n", "\n\t", "=", "\"", "12345", "user_name", "ASI", "AEA"}
	var b strings.Builder
	for b.Len() < n {
		b.WriteString(words[r.IntN(len(words))])
		b.WriteByte(' ')
	}
	return []byte(b.String())
}

func BenchmarkSearch(b *testing.B) {
	text := mixedText(8 << 20)
	s := newSearcher(stubFind)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		s.search(text, func(span) { b.Fatal("found a key") })
	}
}

// BenchmarkSearchFile searches the file $KEYSCAN_BENCH_FILE (real text: a
// tree's sources concatenated), skipped when unset.
func BenchmarkSearchFile(b *testing.B) {
	name := os.Getenv("KEYSCAN_BENCH_FILE")
	if name == "" {
		b.Skip("KEYSCAN_BENCH_FILE not set")
	}
	text, err := os.ReadFile(name)
	if err != nil {
		b.Fatal(err)
	}
	s := newSearcher(stubFind)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		s.search(text, func(span) {})
	}
}
