package model

import (
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// SafeText returns s ready to be drawn on a terminal or written to a report:
// every character that could steer a terminal, reorder the text around it or
// hide in it is replaced by a visible placeholder. Text from IAM, or from an
// endpoint pretending to be IAM, goes through it before it is shown or written.
//
// Replaced: C0 controls (tab, newline and CR included) as their Control Pictures
// (ESC as ␛, CR as ␍), DEL as ␡, and C1 controls (U+0080–U+009F, among them CSI,
// OSC and ST), Unicode's bidi controls (U+061C, U+200E, U+200F, U+202A–U+202E,
// U+2066–U+2069) and invalid UTF-8 bytes as U+FFFD. Go's XML decoder lets all but
// ESC through.
//
// Characters that draw nothing — the other format characters (category Cf: soft
// hyphen, zero-width space, joiners, BOM, tag characters…), the line and
// paragraph separators U+2028 and U+2029, variation selectors and the other
// default-ignorable code points (Hangul fillers U+115F, U+1160, U+3164, U+FFA0)
// — become their code point in ASCII, "<U+200B>": "al\u200bice" is drawn
// "al<U+200B>ice", never like "alice", and a terminal that would give them a
// width of its own (a soft hyphen: one column, or none) cannot shift a row.
//
// Text without any of these is returned as it is, without allocating.
func SafeText(s string) string {
	i := firstUnsafe(s)
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	b.WriteString(s[:i])
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteRune(utf8.RuneError) // an invalid byte: a terminal may read 0x9b as CSI
		case r < 0x20:
			b.WriteRune(0x2400 + r) // U+2400 Control Pictures: ␀ … ␟
		case r == 0x7f:
			b.WriteRune('␡')
		case unsafeRune(r):
			b.WriteRune(utf8.RuneError)
		case invisibleRune(r):
			writeCodePoint(&b, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// writeCodePoint writes r's placeholder, "<U+" and at least four upper-case
// hex digits and ">", as Unicode names code points.
func writeCodePoint(b *strings.Builder, r rune) {
	const hex = "0123456789ABCDEF"
	b.WriteString("<U+")
	digits := 4
	for r>>(4*digits) != 0 {
		digits++
	}
	for d := digits - 1; d >= 0; d-- {
		b.WriteByte(hex[r>>(4*d)&0xf])
	}
	b.WriteByte('>')
}

// IsSafeText reports whether SafeText would return s unchanged.
func IsSafeText(s string) bool { return firstUnsafe(s) < 0 }

// firstUnsafe is the byte offset of the first character SafeText replaces, or -1.
func firstUnsafe(s string) int {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf { // ASCII, the common case: no decoding
			if c < 0x20 || c == 0x7f {
				return i
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || unsafeRune(r) || invisibleRune(r) {
			return i
		}
		i += size
	}
	return -1
}

// unsafeRune reports a control or bidi control character.
func unsafeRune(r rune) bool {
	switch {
	case r < 0x20, r >= 0x7f && r <= 0x9f: // C0, DEL, C1
		return true
	case r == 0x061c, r == 0x200e, r == 0x200f: // ALM, LRM, RLM
		return true
	case r >= 0x202a && r <= 0x202e: // LRE RLE PDF LRO RLO
		return true
	case r >= 0x2066 && r <= 0x2069: // LRI RLI FSI PDI
		return true
	}
	return false
}

// invisible are the characters that draw nothing, or that a terminal draws as
// it likes: format characters (Cf, the bidi controls among them, which
// unsafeRune takes first), the line and paragraph separators, and what Unicode
// calls default-ignorable besides (variation selectors, Hangul fillers,
// U+034F, the unassigned tags plane).
var invisible = []*unicode.RangeTable{
	unicode.Cf, unicode.Zl, unicode.Zp,
	unicode.Variation_Selector, unicode.Other_Default_Ignorable_Code_Point,
}

// invisibleRune reports a character SafeText shows as its code point.
func invisibleRune(r rune) bool {
	return r >= 0xad && unicode.In(r, invisible...) // U+00AD, the soft hyphen, is the first
}

// escapeJSONControls rewrites the characters SafeText replaces but encoding/json
// leaves raw (DEL, C1 and bidi controls, and the invisible characters SafeText
// shows as "<U+200B>") as \uXXXX escapes, a character beyond U+FFFF as its
// UTF-16 pair ("\udb40\udc41" for the tag U+E0041). In encoder output they can
// only occur inside strings, so the document decodes to the same values, and
// printed as it is, it shows each of them.
func escapeJSONControls(b []byte) []byte {
	var out []byte
	last := 0
	for i := 0; i < len(b); {
		c := b[i]
		if c < utf8.RuneSelf && c != 0x7f {
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if !unsafeRune(r) && !invisibleRune(r) {
			i += size
			continue
		}
		if out == nil {
			out = make([]byte, 0, len(b)+16)
		}
		out = append(out, b[last:i]...)
		if r > 0xffff {
			hi, lo := utf16.EncodeRune(r)
			out = appendJSONEscape(appendJSONEscape(out, hi), lo)
		} else {
			out = appendJSONEscape(out, r)
		}
		i += size
		last = i
	}
	if out == nil {
		return b
	}
	return append(out, b[last:]...)
}

// appendJSONEscape appends \uXXXX for r, at most U+FFFF.
func appendJSONEscape(out []byte, r rune) []byte {
	const hex = "0123456789abcdef"
	return append(out, '\\', 'u', hex[r>>12&0xf], hex[r>>8&0xf], hex[r>>4&0xf], hex[r&0xf])
}
