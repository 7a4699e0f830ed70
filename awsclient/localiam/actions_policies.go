package localiam

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// A user's policies: managed ones attached (ListAttachedUserPolicies,
// AttachUserPolicy, DetachUserPolicy) and inline ones (ListUserPolicies,
// PutUserPolicy, DeleteUserPolicy). Only AWS managed policies the endpoint
// knows can be attached (services.go).

var (
	policyNameSpec = strSpec{min: 1, max: 128, ok: isUserNameChar, pattern: `[\w+=,.@-]+`}
	// arnSpec is the model's arnType: a length, no pattern.
	arnSpec            = strSpec{min: 20, max: 2048}
	policyDocumentSpec = strSpec{min: 1, max: 131072, ok: isPolicyTextChar, pattern: `[\u0009\u000A\u000D\u0020-\u00FF]+`}
	policyPathSpec     = strSpec{min: 1, max: 512, pattern: `((/[A-Za-z0-9\.,\+@=_-]+)*)/`, check: isPolicyPath}
)

// isPolicyPath matches policyPathType: "/" or "/a/b/" of [A-Za-z0-9.,+@=_-].
func isPolicyPath(s string) bool {
	if !strings.HasPrefix(s, "/") || !strings.HasSuffix(s, "/") {
		return false
	}
	for _, seg := range strings.Split(strings.Trim(s, "/"), "/") {
		if s == "/" {
			break
		}
		if seg == "" || strings.ContainsFunc(seg, func(r rune) bool {
			return !(isWordChar(r) || strings.ContainsRune(".,+@=-", r))
		}) {
			return false
		}
	}
	return true
}

// Errors. "Policy … does not exist or is not attachable." [3P moto#6482 quoting
// AWS; pulumi#7419]; the others' wording is UNCERTAIN.
func noSuchPolicy(arn string) *apiError {
	return &apiError{http.StatusNotFound, "NoSuchEntity", fmt.Sprintf("Policy %s does not exist or is not attachable.", arn)}
}

func policyNotAttached(arn string) *apiError {
	return &apiError{http.StatusNotFound, "NoSuchEntity", fmt.Sprintf("Policy %s was not found.", arn)}
}

func noSuchUserPolicy(name string) *apiError {
	return &apiError{http.StatusNotFound, "NoSuchEntity", fmt.Sprintf("The user policy with name %s cannot be found.", name)}
}

func invalidARN(arn string) *apiError { return invalidInput("ARN %s is not valid.", arn) }

// policyName is the name part of a policy ARN (after the last /).
func policyName(arn string) string { return arn[strings.LastIndexByte(arn, '/')+1:] }

// policyPath is the path part of a policy ARN ("/" for arn:…:policy/Name).
func policyPath(arn string) string {
	_, rest, _ := strings.Cut(arn, ":policy")
	return rest[:strings.LastIndexByte(rest, '/')+1]
}

func (a *account) listAttachedUserPolicies(form url.Values) (*xmlBuilder, *apiError) {
	v := newValidator(form)
	prefix, hasPrefix := v.str("PathPrefix", "pathPrefix", policyPathSpec, false)
	marker, hasMarker, maxItems := v.paging()
	u, err := a.targetUser(v, userNameSpec, true, true)
	if err != nil {
		return nil, err
	}
	defer a.mu.RUnlock()
	list := u.attached
	if hasPrefix {
		list = slices.DeleteFunc(slices.Clone(list), func(arn string) bool { return !strings.HasPrefix(policyPath(arn), prefix) })
	}
	page, more, next, err := itemPage(list, func(s string) string { return s }, "p", marker, hasMarker, maxItems)
	if err != nil {
		return nil, err
	}
	var b xmlBuilder
	b.list("AttachedPolicies", len(page), func(i int) {
		b.text("PolicyName", policyName(page[i]))
		b.text("PolicyArn", page[i])
	})
	writePageEnd(&b, more, next)
	return &b, nil
}

// policyTarget validates UserName + PolicyArn of Attach and Detach and finds
// the user. It returns with a.mu locked for writing unless it returns an error.
func (a *account) policyTarget(form url.Values) (*user, string, *apiError) {
	v := newValidator(form)
	arn, _ := v.str("PolicyArn", "policyArn", arnSpec, true)
	u, err := a.targetUser(v, userNameSpec, true, false)
	if err != nil {
		return nil, "", err
	}
	if !strings.HasPrefix(arn, "arn:") || !strings.Contains(arn, ":policy/") {
		a.mu.Unlock()
		return nil, "", invalidARN(arn)
	}
	return u, arn, nil
}

func (a *account) attachUserPolicy(form url.Values) (*xmlBuilder, *apiError) {
	u, arn, err := a.policyTarget(form)
	if err != nil {
		return nil, err
	}
	defer a.mu.Unlock()
	switch {
	case !policyExists(arn):
		return nil, noSuchPolicy(arn)
	case slices.Contains(u.attached, arn):
		return nil, nil // attaching again changes nothing and succeeds
	case len(u.attached) >= maxPoliciesPerUser:
		return nil, &apiError{http.StatusConflict, "LimitExceeded",
			fmt.Sprintf("Cannot exceed quota for PoliciesPerUser: %d", maxPoliciesPerUser)}
	}
	u.attached = insertSorted(u.attached, arn, strings.Compare)
	a.changed()
	return nil, nil
}

func (a *account) detachUserPolicy(form url.Values) (*xmlBuilder, *apiError) {
	u, arn, err := a.policyTarget(form)
	if err != nil {
		return nil, err
	}
	defer a.mu.Unlock()
	i, found := slices.BinarySearch(u.attached, arn)
	if !found {
		return nil, policyNotAttached(arn)
	}
	u.attached = slices.Delete(u.attached, i, i+1)
	a.changed()
	return nil, nil
}

func (a *account) listUserPolicies(form url.Values) (*xmlBuilder, *apiError) {
	v := newValidator(form)
	marker, hasMarker, maxItems := v.paging()
	u, err := a.targetUser(v, existingUserNameSpec, true, true)
	if err != nil {
		return nil, err
	}
	defer a.mu.RUnlock()
	page, more, next, err := itemPage(u.inline, func(p inlinePolicy) string { return p.name }, "i", marker, hasMarker, maxItems)
	if err != nil {
		return nil, err
	}
	var b xmlBuilder
	b.stringList("PolicyNames", len(page), func(i int) string { return page[i].name })
	writePageEnd(&b, more, next)
	return &b, nil
}

func (a *account) putUserPolicy(form url.Values) (*xmlBuilder, *apiError) {
	v := newValidator(form)
	name, _ := v.str("PolicyName", "policyName", policyNameSpec, true)
	doc, _ := v.str("PolicyDocument", "policyDocument", policyDocumentSpec, true)
	u, err := a.targetUser(v, existingUserNameSpec, true, false)
	if err != nil {
		return nil, err
	}
	defer a.mu.Unlock()
	if !json.Valid([]byte(doc)) { // "Syntax errors in policy." is IAM's wording [3P]; deeper checks are not modelled
		return nil, &apiError{http.StatusBadRequest, "MalformedPolicyDocument", "Syntax errors in policy."}
	}
	if u.inlineSize(name)+len(strings.Join(strings.Fields(doc), "")) > maxInlineBytes {
		// The wording is UNCERTAIN.
		return nil, &apiError{http.StatusConflict, "LimitExceeded",
			fmt.Sprintf("Maximum policy size of %d bytes exceeded for user %s", maxInlineBytes, u.name)}
	}
	p := inlinePolicy{name: name, document: doc}
	// Names are matched exactly; putting one again replaces its document.
	if i, found := slices.BinarySearchFunc(u.inline, p, compareInline); found {
		u.inline[i] = p
	} else {
		u.inline = slices.Insert(u.inline, i, p)
	}
	a.changed()
	return nil, nil
}

func (a *account) deleteUserPolicy(form url.Values) (*xmlBuilder, *apiError) {
	v := newValidator(form)
	name, _ := v.str("PolicyName", "policyName", policyNameSpec, true)
	u, err := a.targetUser(v, existingUserNameSpec, true, false)
	if err != nil {
		return nil, err
	}
	defer a.mu.Unlock()
	i, found := slices.BinarySearchFunc(u.inline, inlinePolicy{name: name}, compareInline)
	if !found {
		return nil, noSuchUserPolicy(name)
	}
	u.inline = slices.Delete(u.inline, i, i+1)
	a.changed()
	return nil, nil
}
