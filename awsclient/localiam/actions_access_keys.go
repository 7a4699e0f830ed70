package localiam

import (
	"crypto/rand"
	"fmt"
	"net/http"
	"net/url"
)

// Access keys (ListAccessKeys, CreateAccessKey, UpdateAccessKey,
// DeleteAccessKey), with the shapes of the botocore model: AccessKeyMetadata
// in lists, AccessKey (with the secret, once) from Create. The secret is never
// stored. The keys are the user's; they do not sign requests here.

var accessKeyIDSpec = strSpec{min: 16, max: 128, ok: isWordChar, pattern: `[\w]+`}

// noSuchAccessKey is IAM's answer for a key the user does not have; the
// wording is UNCERTAIN (the form seen in third-party logs).
func noSuchAccessKey(id string) *apiError {
	return &apiError{http.StatusNotFound, "NoSuchEntity", fmt.Sprintf("The Access Key with id %s cannot be found.", id)}
}

// accessKeyLimit follows IAM's quota message, quoted in contract §3.6 [3P].
func accessKeyLimit() *apiError {
	return &apiError{http.StatusConflict, "LimitExceeded", fmt.Sprintf("Cannot exceed quota for AccessKeysPerUser: %d", maxAccessKeysPerUser)}
}

// targetUser validates UserName, required or defaulting to the caller (which,
// here, is not an IAM user), reports v's errors, and finds the user. It returns with a.mu locked for
// writing, or read-locked when read is set, unless it returns an error.
func (a *account) targetUser(v *validator, sp strSpec, required, read bool) (*user, *apiError) {
	name, hasName := v.str("UserName", "userName", sp, required)
	if err := v.err(); err != nil {
		return nil, err
	}
	if !hasName {
		return nil, errNoCaller
	}
	lock, unlock := a.mu.Lock, a.mu.Unlock
	if read {
		lock, unlock = a.mu.RLock, a.mu.RUnlock
	}
	lock()
	u := a.st.user(name)
	if u == nil {
		unlock()
		return nil, noSuchUser(name)
	}
	return u, nil
}

func (a *account) listAccessKeys(form url.Values) (*xmlBuilder, *apiError) {
	v := newValidator(form)
	marker, hasMarker, maxItems := v.paging()
	u, err := a.targetUser(v, existingUserNameSpec, false, true)
	if err != nil {
		return nil, err
	}
	defer a.mu.RUnlock()
	page, more, next, err := itemPage(u.keys, (*accessKey).sortKey, "k", marker, hasMarker, maxItems)
	if err != nil {
		return nil, err
	}
	var b xmlBuilder
	b.list("AccessKeyMetadata", len(page), func(i int) {
		k := page[i]
		b.text("UserName", u.name)
		b.text("AccessKeyId", k.id)
		b.text("Status", k.status())
		b.time("CreateDate", k.created)
	})
	writePageEnd(&b, more, next)
	return &b, nil
}

func (a *account) createAccessKey(form url.Values) (*xmlBuilder, *apiError) {
	u, err := a.targetUser(newValidator(form), existingUserNameSpec, false, false)
	if err != nil {
		return nil, err
	}
	defer a.mu.Unlock()
	if len(u.keys) >= maxAccessKeysPerUser { // inactive keys count too [Docs IAM quotas]
		return nil, accessKeyLimit()
	}
	k := &accessKey{id: a.newAccessKeyID(), user: u, created: a.clock()}
	a.st.addAccessKey(k)
	var b xmlBuilder
	b.open("AccessKey")
	b.text("UserName", u.name)
	b.text("AccessKeyId", k.id)
	b.text("Status", k.status())
	b.text("SecretAccessKey", randomBase64(rand.Reader, 30)) // 40 characters, like AWS's
	b.time("CreateDate", k.created)
	b.close("AccessKey")
	a.changed()
	return &b, nil
}

// accessKeyTarget validates and resolves UserName + AccessKeyId (and Status)
// of Update and Delete: syntax, user, key. It returns with a.mu locked for
// writing unless it returns an error.
func (a *account) accessKeyTarget(form url.Values, withStatus bool) (k *accessKey, status string, err *apiError) {
	v := newValidator(form)
	id, _ := v.str("AccessKeyId", "accessKeyId", accessKeyIDSpec, true)
	if withStatus {
		status, _ = v.status("Status", "status")
	}
	u, err := a.targetUser(v, existingUserNameSpec, false, false)
	if err != nil {
		return nil, "", err
	}
	if k = a.st.accessKeys[id]; k == nil || k.user != u {
		a.mu.Unlock()
		return nil, "", noSuchAccessKey(id)
	}
	return k, status, nil
}

func (a *account) updateAccessKey(form url.Values) (*xmlBuilder, *apiError) {
	k, status, err := a.accessKeyTarget(form, true)
	if err != nil {
		return nil, err
	}
	defer a.mu.Unlock()
	k.inactive = status == statusInactive
	a.changed()
	return nil, nil
}

func (a *account) deleteAccessKey(form url.Values) (*xmlBuilder, *apiError) {
	k, _, err := a.accessKeyTarget(form, false)
	if err != nil {
		return nil, err
	}
	defer a.mu.Unlock()
	a.st.removeAccessKey(k)
	a.changed()
	return nil, nil
}

// newAccessKeyID returns an unused AKIA… ID: 20 characters, like AWS's, with
// the account in it as AWS's carry theirs (accountKeyID), so that
// GetAccessKeyInfo names the account of a deleted key too. It never equals an
// account's signing key, which is derived from a hash.
func (a *account) newAccessKeyID() string {
	for {
		id := accountKeyID(rand.Reader, "AKIA", a.id)
		if a.st.accessKeys[id] == nil {
			return id
		}
	}
}
