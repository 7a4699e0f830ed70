package localiam

import (
	"crypto/rand"
	"crypto/sha256"
	"net/url"
	"strings"
	"time"
)

const maxCredentialAgeDays = 36600

// writeCredentialMetadata writes a ServiceSpecificCredentialMetadata: what List
// returns, never a secret.
func (a *account) writeCredentialMetadata(b *xmlBuilder, c *cred, now time.Time) {
	svc, _ := a.srv.lookupService(c.service)
	b.text("UserName", c.user.name)
	b.text("Status", c.status(now))
	if svc.APIKey {
		b.text("ServiceCredentialAlias", c.serviceUserName(a.id))
	} else {
		b.text("ServiceUserName", c.serviceUserName(a.id))
	}
	b.time("CreateDate", c.created)
	if !c.expires.IsZero() {
		b.time("ExpirationDate", c.expires)
	}
	b.text("ServiceSpecificCredentialId", c.id)
	b.text("ServiceName", c.service)
}

// writeCredential writes a ServiceSpecificCredential with its one-time secret, as
// Create and Reset return it.
func (a *account) writeCredential(b *xmlBuilder, c *cred, secret string, now time.Time) {
	svc, _ := a.srv.lookupService(c.service)
	b.open("ServiceSpecificCredential")
	b.time("CreateDate", c.created)
	if !c.expires.IsZero() {
		b.time("ExpirationDate", c.expires)
	}
	b.text("ServiceName", c.service)
	if svc.APIKey {
		b.text("ServiceCredentialAlias", c.serviceUserName(a.id))
		b.text("ServiceCredentialSecret", secret)
	} else {
		b.text("ServiceUserName", c.serviceUserName(a.id))
		b.text("ServicePassword", secret)
	}
	b.text("ServiceSpecificCredentialId", c.id)
	b.text("UserName", c.user.name)
	b.text("Status", c.status(now))
	b.close("ServiceSpecificCredential")
}

func (a *account) listCredentials(form url.Values) (*xmlBuilder, *apiError) {
	v := newValidator(form)
	userName, hasUser := v.str("UserName", "userName", userNameSpec, false)
	serviceName, hasService := v.str("ServiceName", "serviceName", serviceNameSpec, false)
	allUsers := v.bool("AllUsers", "allUsers")
	marker, hasMarker, maxItems := v.paging()
	if err := v.err(); err != nil {
		return nil, err
	}
	switch {
	case allUsers && hasUser:
		// The model says the two cannot be combined; the error is UNCERTAIN (contract §3.5).
		return nil, validationError("AllUsers cannot be specified together with UserName.")
	case !allUsers && !hasUser:
		return nil, errNoCaller
	}
	var after func(*cred) bool
	if hasMarker {
		key, ok := parseCredMarker(marker)
		if !ok {
			return nil, errBadMarker
		}
		after = func(c *cred) bool { return compareCredKeys(c.key(), key) > 0 }
	}

	a.mu.RLock()
	defer a.mu.RUnlock()
	var (
		list []*cred
		keep func(*cred) bool
	)
	if allUsers {
		// AllUsers without ServiceName lists every service (contract §3.5: whether
		// ServiceName is required is UNCERTAIN; the lenient reading is chosen).
		list = a.st.all
	} else {
		u := a.st.user(userName)
		if u == nil {
			return nil, noSuchUser(userName)
		}
		list = u.creds
	}
	if hasService {
		if _, ok := a.srv.lookupService(serviceName); !ok {
			return nil, noSuchService(serviceName)
		}
		if allUsers {
			list = a.st.byService[serviceName]
		} else {
			keep = func(c *cred) bool { return c.service == serviceName }
		}
	}
	page, more := pageOf(list, after, keep, maxItems)
	now := a.now()
	var b xmlBuilder
	b.list("ServiceSpecificCredentials", len(page), func(i int) { a.writeCredentialMetadata(&b, page[i], now) })
	b.bool("IsTruncated", more)
	if more {
		b.text("Marker", credMarker(page[len(page)-1]))
	}
	return &b, nil
}

func (a *account) createCredential(form url.Values) (*xmlBuilder, *apiError) {
	v := newValidator(form)
	userName, _ := v.str("UserName", "userName", userNameSpec, true)
	serviceName, _ := v.str("ServiceName", "serviceName", serviceNameSpec, true)
	days, hasDays := v.int("CredentialAgeDays", "credentialAgeDays", 1, maxCredentialAgeDays, 0)
	if err := v.err(); err != nil {
		return nil, err
	}

	a.mu.Lock()
	defer a.mu.Unlock()
	u := a.st.user(userName)
	if u == nil {
		return nil, noSuchUser(userName)
	}
	svc, ok := a.srv.lookupService(serviceName)
	if !ok {
		return nil, noSuchService(serviceName)
	}
	if hasDays && !svc.APIKey {
		// AWS's error here is UNCERTAIN (contract §3.6); InvalidInput names the rule.
		return nil, invalidInput("CredentialAgeDays is valid only for services that use API keys (%s), not for %s.",
			strings.Join(apiKeyServices(), ", "), serviceName)
	}
	slot := u.freeSlot(svc.Name)
	if slot < 0 {
		return nil, limitExceeded()
	}
	now := a.clock()
	c := &cred{id: a.newCredentialID(), service: svc.Name, user: u, slot: slot, created: now}
	if hasDays {
		c.expires = now.Add(time.Duration(days) * 24 * time.Hour)
	}
	a.st.addCred(c)
	form.Set(noteCreated, c.id)
	var b xmlBuilder
	a.writeCredential(&b, c, a.issue("CreateServiceSpecificCredential", c, svc), now)
	a.changed()
	return &b, nil
}

// credentialTarget validates and resolves the UserName + ServiceSpecificCredentialId
// of Update, Reset and Delete, in AWS's order: syntax, user, credential. It
// returns with a.mu locked for writing unless it returns an error.
func (a *account) credentialTarget(form url.Values, withStatus bool) (c *cred, status string, err *apiError) {
	v := newValidator(form)
	userName, hasUser := v.str("UserName", "userName", userNameSpec, false)
	id, _ := v.str("ServiceSpecificCredentialId", "serviceSpecificCredentialId", credentialIDSpec, true)
	if withStatus {
		status, _ = v.status("Status", "status")
	}
	if err := v.err(); err != nil {
		return nil, "", err
	}
	if !hasUser {
		return nil, "", errNoCaller
	}
	a.mu.Lock()
	u := a.st.user(userName)
	if u == nil {
		a.mu.Unlock()
		return nil, "", noSuchUser(userName)
	}
	// Another user's credential is "no such credential" for this one (contract §3.7: UNCERTAIN).
	c = a.st.creds[id]
	if c == nil || c.user != u {
		a.mu.Unlock()
		return nil, "", noSuchCredential(id)
	}
	form.Set(noteBefore, c.status(a.now()))
	return c, status, nil
}

func (a *account) updateCredential(form url.Values) (*xmlBuilder, *apiError) {
	c, status, err := a.credentialTarget(form, true)
	if err != nil {
		return nil, err
	}
	defer a.mu.Unlock()
	if status == statusActive && c.expired(a.now()) {
		// Refusing to revive an expired key is the contract's recommended choice (§3.7: UNCERTAIN).
		return nil, invalidInput("The service-specific credential %s expired on %s and cannot be reactivated; delete it and create a new one.",
			c.id, c.expires.UTC().Format(timeLayout))
	}
	c.inactive = status == statusInactive
	a.changed()
	return nil, nil
}

func (a *account) resetCredential(form url.Values) (*xmlBuilder, *apiError) {
	c, _, err := a.credentialTarget(form, false)
	if err != nil {
		return nil, err
	}
	defer a.mu.Unlock()
	now := a.now()
	if c.expired(now) {
		// The Bedrock guide says an expired key cannot be reset; the error is UNCERTAIN (§3.8).
		return nil, invalidInput("The service-specific credential %s has expired; delete it and create a new one.", c.id)
	}
	// Same ID, name, status and CreateDate; only the secret is new. Nothing
	// persisted changes, since secrets are never stored.
	svc, _ := a.srv.lookupService(c.service)
	var b xmlBuilder
	a.writeCredential(&b, c, a.issue("ResetServiceSpecificCredential", c, svc), now)
	return &b, nil
}

// issue mints c's new secret and tells Config.SecretIssued of it. Callers
// hold a.mu.
func (a *account) issue(action string, c *cred, svc service) string {
	secret := svc.newSecret(rand.Reader, c.serviceUserName(a.id))
	if f := a.srv.issued; f != nil {
		f(SecretIssued{Action: action, AccountID: a.id, UserName: c.user.name, CredentialID: c.id, SHA256: sha256.Sum256([]byte(secret))})
	}
	return secret
}

func (a *account) deleteCredential(form url.Values) (*xmlBuilder, *apiError) {
	c, _, err := a.credentialTarget(form, false)
	if err != nil {
		return nil, err
	}
	defer a.mu.Unlock()
	a.st.removeCred(c)
	a.changed()
	return nil, nil
}

// newCredentialID returns an unused ACCA… ID. Callers hold a.mu.
func (a *account) newCredentialID() string {
	for {
		id := randomID(rand.Reader, "ACCA")
		if a.st.creds[id] == nil {
			return id
		}
	}
}

func apiKeyServices() []string {
	var names []string
	for _, svc := range services {
		if svc.APIKey {
			names = append(names, svc.Name)
		}
	}
	return names
}
