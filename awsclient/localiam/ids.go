package localiam

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"io"
)

// base32Alphabet is the alphabet of AWS's ACCA…/AIDA… identifiers.
const base32Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"

// randomID returns prefix plus 17 base32 characters, the 21-character shape of
// ACCA… credential IDs and AIDA… user IDs.
func randomID(r io.Reader, prefix string) string { return randomIDN(r, prefix, 17) }

// randomIDN returns prefix plus n base32 characters.
func randomIDN(r io.Reader, prefix string, n int) string {
	buf := make([]byte, n)
	mustRead(r, buf)
	out := make([]byte, 0, len(prefix)+len(buf))
	out = append(out, prefix...)
	for _, b := range buf {
		out = append(out, base32Alphabet[b&31]) // 256 is a multiple of 32: uniform
	}
	return string(out)
}

func randomBase64(r io.Reader, n int) string {
	buf := make([]byte, n)
	mustRead(r, buf)
	return base64.StdEncoding.EncodeToString(buf)
}

// newRequestID returns a random UUID v4, the shape of AWS request IDs.
func newRequestID() string {
	var b [16]byte
	mustRead(rand.Reader, b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// mustRead fills b; crypto/rand and ChaCha8 never fail, so a failure is a bug.
func mustRead(r io.Reader, b []byte) {
	if _, err := io.ReadFull(r, b); err != nil {
		panic("localiam: random source failed: " + err.Error())
	}
}
