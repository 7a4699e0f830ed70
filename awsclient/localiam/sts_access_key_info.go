package localiam

import (
	"encoding/base32"
	"encoding/binary"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
)

// stsAccessKeyIDSpec is GetAccessKeyInfo's AccessKeyId: 16-128, [\w]*
// [Docs STS API reference; botocore sts accessKeyIdType].
var stsAccessKeyIDSpec = strSpec{min: 16, max: 128, ok: isWordChar, pattern: `[\w]*`}

// getAccessKeyInfo answers STS GetAccessKeyInfo: the account an access key ID
// belongs to. "This operation does not indicate the state of the access key.
// The key might be active, inactive, or deleted" [Docs]: any caller may ask
// about any key, and an Inactive key answers like an Active one.
//
// A key this endpoint issued (an account's caller key, a user's access key,
// a role session's ASIA key) answers its account. Any other key — a deleted
// one: the endpoint mints IDs that carry their account (accountKeyID) —
// answers the account encoded in its ID, as AWS's IDs carry it: base32 of the 16
// characters after the prefix, bits 7-46 of the first 6 bytes [3P: Tal
// Be'ery 2023, Aidan Steele; GetAccessKeyInfo answers for keys no longer in
// any account]. UNCERTAIN: whether AWS answers every syntactically valid ID
// ("Providing a deleted access key might return an error that the key
// doesn't exist" [Docs]); an ID that is not 20 base32 characters after its
// prefix answers InvalidParameterValue here, wording UNCERTAIN.
func (s *Server) getAccessKeyInfo(_ principal, form url.Values) (*xmlBuilder, *apiError) {
	v := newValidator(form)
	id, _ := v.str("AccessKeyId", "accessKeyId", stsAccessKeyIDSpec, true)
	if err := v.err(); err != nil {
		return nil, err
	}
	acct, ok := s.accessKeyAccount(id)
	if !ok {
		if acct, ok = accountInKeyID(id); !ok {
			return nil, &apiError{http.StatusBadRequest, "InvalidParameterValue", "Invalid access key ID: " + id}
		}
	}
	var b xmlBuilder
	b.text("Account", acct)
	return &b, nil
}

// accessKeyAccount finds the account that issued key id, if this endpoint did.
func (s *Server) accessKeyAccount(id string) (string, bool) {
	all := []*account{s.home}
	if s.org != nil {
		all = s.org.accounts
	}
	for _, a := range all {
		if a.accessKey == id {
			return a.id, true
		}
		a.mu.RLock()
		k := a.st.accessKeys[id]
		a.mu.RUnlock()
		if k != nil {
			return a.id, true
		}
	}
	s.sessionsMu.Lock()
	sess, ok := s.sessions[id]
	s.sessionsMu.Unlock()
	if ok {
		return sess.acct.id, true
	}
	return "", false
}

// accountKeyID is a random key ID that carries account as AWS's do
// (accountInKeyID): the top bit set (a fifth character from Q on, as in
// AWS's keys since 2019 [3P]), the account in bits 7-46, the rest random.
func accountKeyID(r io.Reader, prefix, account string) string {
	n, err := strconv.ParseUint(account, 10, 64)
	if err != nil {
		return randomIDN(r, prefix, 16)
	}
	var raw [10]byte
	mustRead(r, raw[:])
	var six [8]byte
	binary.BigEndian.PutUint64(six[:], 1<<47|n<<7|uint64(raw[5]&0x7f))
	copy(raw[:6], six[2:])
	return prefix + base32.StdEncoding.EncodeToString(raw[:])
}

// accountInKeyID decodes the account AWS encodes in an access key ID.
func accountInKeyID(id string) (string, bool) {
	if len(id) != 20 {
		return "", false
	}
	raw, err := base32.StdEncoding.DecodeString(id[4:])
	if err != nil || len(raw) != 10 {
		return "", false
	}
	var six [8]byte
	copy(six[2:], raw[:6])
	n := (binary.BigEndian.Uint64(six[:]) & 0x7fffffffff80) >> 7
	if n > 999_999_999_999 {
		return "", false
	}
	return fmt.Sprintf("%012d", n), true
}
