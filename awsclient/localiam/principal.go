package localiam

import (
	"crypto/sha256"
	"crypto/subtle"
	"net/http"
	"strings"
	"time"
)

// principal is who signed a request: an account's caller (a long-term key), or
// a role session that sts:AssumeRole handed out.
type principal struct {
	acct    *account
	role    string // "" for the caller's long-term key
	session string // the role session name
}

func (p principal) arn() string {
	if p.role == "" {
		return p.acct.callerARN()
	}
	return "arn:aws:sts::" + p.acct.id + ":assumed-role/" + p.role + "/" + p.session
}

func (p principal) userID() string {
	if p.role == "" {
		return callerUserID(p.acct.id)
	}
	return roleID(p.acct.id, p.role) + ":" + p.session
}

// session is a set of temporary credentials issued by AssumeRole. Only a hash
// of the session token is kept: like every other secret, it is shown once.
type session struct {
	principal
	tokenHash [sha256.Size]byte
	expires   time.Time
}

// maxSessions bounds the sessions kept; the oldest is forgotten first (its
// keys then read as invalid), so a long benchmark cannot grow memory forever.
const maxSessions = 100_000

var (
	errInvalidToken = &apiError{http.StatusForbidden, "InvalidClientTokenId", "The security token included in the request is invalid."}
	errExpiredToken = &apiError{http.StatusBadRequest, "ExpiredToken", "The security token included in the request is expired"}
)

// accessKeyID is the key ID in a SigV4 Authorization header
// ("AWS4-HMAC-SHA256 Credential=AKID/date/region/service/aws4_request, …"), or
// "" for an unsigned request. Signatures themselves are not checked.
func accessKeyID(r *http.Request) string {
	auth := r.Header.Get("Authorization")
	_, rest, ok := strings.Cut(auth, "Credential=")
	if !ok {
		return ""
	}
	key, _, _ := strings.Cut(rest, "/")
	return strings.TrimSpace(key)
}

// resolve finds who signed r. Outside an organization every request acts for
// the one account, whatever the key (as before organizations existed). In one,
// an account's long-term key acts for that account; any other long-term key for
// the management account, so dummy keys keep working; a temporary key (ASIA…)
// must be a live session presented with its token, as on AWS.
func (s *Server) resolve(r *http.Request) (principal, *apiError) {
	home := principal{acct: s.home}
	if s.org == nil {
		return home, nil
	}
	key := accessKeyID(r)
	if a, ok := s.org.byKey[key]; ok {
		return principal{acct: a}, nil
	}
	s.sessionsMu.Lock()
	sess, ok := s.sessions[key]
	s.sessionsMu.Unlock()
	switch {
	case ok:
		token := sha256.Sum256([]byte(r.Header.Get("X-Amz-Security-Token")))
		if subtle.ConstantTimeCompare(token[:], sess.tokenHash[:]) != 1 {
			return principal{}, errInvalidToken
		}
		if !s.clock().Before(sess.expires) {
			return principal{}, errExpiredToken
		}
		return sess.principal, nil
	case strings.HasPrefix(key, "ASIA"):
		return principal{}, errInvalidToken
	}
	return home, nil
}

// addSession records a new session under its access key ID.
func (s *Server) addSession(keyID string, sess *session) {
	s.sessionsMu.Lock()
	defer s.sessionsMu.Unlock()
	if s.sessions == nil {
		s.sessions = map[string]*session{}
	}
	if len(s.sessionOrder) >= maxSessions {
		delete(s.sessions, s.sessionOrder[0])
		s.sessionOrder = s.sessionOrder[1:]
	}
	s.sessions[keyID] = sess
	s.sessionOrder = append(s.sessionOrder, keyID)
}
