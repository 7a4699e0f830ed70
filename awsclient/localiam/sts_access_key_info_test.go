package localiam

import (
	"crypto/rand"
	"net/http"
	"regexp"
	"testing"
)

type accessKeyInfo struct {
	Result struct{ Account string } `xml:"GetAccessKeyInfoResult"`
}

func keyAccount(t *testing.T, h http.Handler, c creds, id string) string {
	t.Helper()
	var r accessKeyInfo
	wantOK(t, doAs(t, h, c, "Action", "GetAccessKeyInfo", "Version", "2011-06-15", "AccessKeyId", id), &r)
	return r.Result.Account
}

// Every key the endpoint issued answers its own account, whoever asks; a key
// it did not issue answers the account encoded in its ID.
func TestGetAccessKeyInfo(t *testing.T) {
	s, _ := newServer(t, Config{Seed: "org:3x1"})
	accounts := s.Accounts()
	home, member := accounts[0], accounts[1]
	caller := creds{key: home.AccessKeyID}
	if got := keyAccount(t, s, caller, member.AccessKeyID); got != member.ID {
		t.Errorf("member caller key: %s, want %s", got, member.ID)
	}
	sess := assumeRole(t, s, caller, "arn:aws:iam::"+member.ID+":role/OrganizationAccountAccessRole")
	if got := keyAccount(t, s, caller, sess.key); got != member.ID {
		t.Errorf("role session key: %s, want %s", got, member.ID)
	}
	// A user's access key in the member account, asked from the management one.
	var made struct {
		Result struct{ AccessKey struct{ AccessKeyId string } } `xml:"CreateAccessKeyResult"`
	}
	wantOK(t, doAs(t, s, sess, "Action", "CreateUser", "UserName", "kai"), nil)
	wantOK(t, doAs(t, s, sess, "Action", "CreateAccessKey", "UserName", "kai"), &made)
	if got := keyAccount(t, s, caller, made.Result.AccessKey.AccessKeyId); got != member.ID {
		t.Errorf("user key: %s, want %s", got, member.ID)
	}
	// Deleted, the key still names its account: it is in the ID, as on AWS.
	wantOK(t, doAs(t, s, sess, "Action", "DeleteAccessKey", "UserName", "kai", "AccessKeyId", made.Result.AccessKey.AccessKeyId), nil)
	if got := keyAccount(t, s, caller, made.Result.AccessKey.AccessKeyId); got != member.ID {
		t.Errorf("deleted user key: %s, want %s", got, member.ID)
	}
	for id, want := range map[string]string{"ASIAY34FZKBOKMUTVV7A": "609629065308", "AKIAIOSFODNN7EXAMPLE": "581039954779"} {
		if got := keyAccount(t, s, caller, id); got != want {
			t.Errorf("%s: %s, want %s", id, got, want)
		}
	}
	wantError(t, doAs(t, s, caller, "Action", "GetAccessKeyInfo", "Version", "2011-06-15", "AccessKeyId", "AKIA0000000000000000"),
		http.StatusBadRequest, "InvalidParameterValue", "Invalid access key ID: AKIA0000000000000000")
	wantError(t, doAs(t, s, caller, "Action", "GetAccessKeyInfo", "Version", "2011-06-15", "AccessKeyId", "AKIA-bad-key-id-xx"),
		http.StatusBadRequest, "ValidationError", "~accessKeyId")
}

func TestAccountKeyIDRoundTrips(t *testing.T) {
	re := regexp.MustCompile(`^ASIA[Q-Z2-7][A-Z2-7]{15}$`)
	for _, acct := range []string{"000000000000", "123456789012", "999999999999", "210000000001"} {
		for range 200 {
			id := accountKeyID(rand.Reader, "ASIA", acct)
			if got, ok := accountInKeyID(id); !ok || got != acct || !re.MatchString(id) {
				t.Fatalf("%s: %s decodes to %s, %v", acct, id, got, ok)
			}
		}
	}
}
