package localiam

import (
	"crypto/rand"
	"crypto/sha256"
	"net/url"
	"regexp"
	"time"
)

// getCallerIdentity answers STS GetCallerIdentity, served on the same endpoint so
// that one URL configures both clients: the signer's account and identity.
func (s *Server) getCallerIdentity(p principal, _ url.Values) (*xmlBuilder, *apiError) {
	var b xmlBuilder
	b.text("Arn", p.arn())
	b.text("UserId", p.userID())
	b.text("Account", p.acct.id)
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

const (
	// maxSessionDuration is a role's default MaxSessionDuration, and the limit of
	// role chaining: one hour.
	maxSessionDuration     = 3600
	defaultSessionDuration = 3600
)

var (
	roleARNSpec     = strSpec{min: 20, max: 2048, ok: func(r rune) bool { return r >= 0x20 && r != 0x7F }, pattern: `[\u0009\u000A\u000D\u0020-\u007E\u0085\u00A0-\uD7FF\uE000-\uFFFD\u10000-\u10FFFF]+`}
	sessionNameSpec = strSpec{min: 2, max: 64, ok: isUserNameChar, pattern: `[\w+=,.@-]*`}
	// roleARNPattern splits a role ARN into account and path+name.
	roleARNPattern = regexp.MustCompile(`^arn:aws:iam::([0-9]{12}):role/(.+)$`)
)

// assumeRole answers STS AssumeRole. The roles are the member role of every
// ACTIVE member account, trusted by the management account, as Organizations
// sets them up. A missing role, a role that does not trust the caller, an
// account that is not ACTIVE and Faults.DenyAssume all give the same
// AccessDenied: AWS does not say which.
func (s *Server) assumeRole(p principal, form url.Values) (*xmlBuilder, *apiError) {
	v := newValidator(form)
	roleARN, _ := v.str("RoleArn", "roleArn", roleARNSpec, true)
	sessionName, _ := v.str("RoleSessionName", "roleSessionName", sessionNameSpec, true)
	duration, _ := v.int("DurationSeconds", "durationSeconds", 900, 43200, defaultSessionDuration)
	if err := v.err(); err != nil {
		return nil, err
	}
	m := roleARNPattern.FindStringSubmatch(roleARN)
	if m == nil {
		// The wording for an ARN that is not a role's is UNCERTAIN.
		return nil, validationError(roleARN + " is not a valid role ARN (arn:aws:iam::ACCOUNT:role/NAME)")
	}
	denied := accessDenied(p.arn(), "sts:AssumeRole", roleARN)
	if s.org == nil || p.acct != s.home || s.faults.Load().denyAssume[m[1]] {
		return nil, denied
	}
	target := s.org.byID[m[1]]
	if target == nil || target.status != accountActive {
		return nil, denied
	}
	role, ok := target.role(m[2]) // a path other than "/" names another role
	if !ok {
		return nil, denied
	}
	if duration > maxSessionDuration {
		return nil, validationError("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.")
	}

	now := s.clock()
	keyID := s.newSessionKeyID(target.id)
	secretKey := randomBase64(rand.Reader, 30) // 40 characters, like AWS's
	token := randomBase64(rand.Reader, 144)
	expires := now.Add(time.Duration(duration) * time.Second)
	sess := &session{
		principal: principal{acct: target, role: role, session: sessionName},
		tokenHash: sha256.Sum256([]byte(token)),
		expires:   expires,
	}
	s.addSession(keyID, sess)

	var b xmlBuilder
	b.open("AssumedRoleUser")
	b.text("AssumedRoleId", sess.userID())
	b.text("Arn", sess.arn())
	b.close("AssumedRoleUser")
	b.open("Credentials")
	b.text("AccessKeyId", keyID)
	b.text("SecretAccessKey", secretKey)
	b.text("SessionToken", token)
	b.time("Expiration", expires)
	b.close("Credentials")
	return &b, nil
}

// newSessionKeyID returns an unused ASIA… key ID: 20 characters, like AWS's.
func (s *Server) newSessionKeyID(account string) string {
	for {
		id := accountKeyID(rand.Reader, "ASIA", account)
		s.sessionsMu.Lock()
		_, taken := s.sessions[id]
		s.sessionsMu.Unlock()
		if !taken {
			return id
		}
	}
}
