package localiam

import (
	"crypto/sha256"
	"net/url"
)

// getCallerIdentity answers STS GetCallerIdentity, served on the same endpoint so
// that one URL configures both clients. The caller is a fixed IAM user.
func (s *Server) getCallerIdentity(url.Values) (*xmlBuilder, *apiError) {
	var b xmlBuilder
	b.text("Arn", s.callerARN())
	b.text("UserId", callerUserID(s.account))
	b.text("Account", s.account)
	return &b, nil
}

// callerUserID derives a stable AIDA… ID from the account.
func callerUserID(account string) string {
	sum := sha256.Sum256([]byte("localiam caller " + account))
	out := []byte("AIDA")
	for _, b := range sum[:17] {
		out = append(out, base32Alphabet[b&31])
	}
	return string(out)
}
