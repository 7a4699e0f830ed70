package localiam

import (
	"fmt"
	"net/http"
	"net/url"
	"unicode/utf8"
)

// Console passwords (GetLoginProfile, CreateLoginProfile, DeleteLoginProfile).
// The password itself is checked and forgotten: only that one exists is kept.

// passwordSpec is the model's passwordType.
var passwordSpec = strSpec{min: 1, max: 128, ok: isPolicyTextChar, pattern: `[\u0009\u000A\u000D\u0020-\u00FF]+`}

// isPolicyTextChar is the character set of passwordType and policyDocumentType.
func isPolicyTextChar(r rune) bool {
	return r == '\t' || r == '\n' || r == '\r' || r >= 0x20 && r <= 0xFF
}

// minPasswordLength is the default password policy's minimum [Docs IAM "Set
// an account password policy": 8 characters when no policy is set].
const minPasswordLength = 8

// noSuchLoginProfile is IAM's answer for a user without a console password
// [3P ansible#43197: "Login Profile for User username cannot be found."].
func noSuchLoginProfile(name string) *apiError {
	return &apiError{http.StatusNotFound, "NoSuchEntity", fmt.Sprintf("Login Profile for User %s cannot be found.", name)}
}

// loginProfileExists: the wording is UNCERTAIN.
func loginProfileExists(name string) *apiError {
	return &apiError{http.StatusConflict, "EntityAlreadyExists", fmt.Sprintf("Login Profile for user %s already exists.", name)}
}

func writeLoginProfile(b *xmlBuilder, u *user) {
	b.open("LoginProfile")
	b.text("UserName", u.name)
	b.time("CreateDate", u.login.created)
	b.bool("PasswordResetRequired", u.login.resetRequired)
	b.close("LoginProfile")
}

func (a *account) getLoginProfile(form url.Values) (*xmlBuilder, *apiError) {
	u, err := a.targetUser(newValidator(form), userNameSpec, false, true)
	if err != nil {
		return nil, err
	}
	defer a.mu.RUnlock()
	if u.login == nil {
		return nil, noSuchLoginProfile(u.name)
	}
	var b xmlBuilder
	writeLoginProfile(&b, u)
	return &b, nil
}

func (a *account) createLoginProfile(form url.Values) (*xmlBuilder, *apiError) {
	v := newValidator(form)
	password, hasPassword := v.str("Password", "password", passwordSpec, false)
	reset := v.bool("PasswordResetRequired", "passwordResetRequired")
	u, err := a.targetUser(v, userNameSpec, false, false)
	if err != nil {
		return nil, err
	}
	defer a.mu.Unlock()
	switch {
	case u.login != nil:
		return nil, loginProfileExists(u.name)
	case !hasPassword:
		// Optional in the model (a root-user session may create one without);
		// for an IAM user AWS's answer is UNCERTAIN.
		return nil, &apiError{http.StatusBadRequest, "PasswordPolicyViolation", "Password is required for an IAM user."}
	case utf8.RuneCountInString(password) < minPasswordLength:
		// The wording is UNCERTAIN (seen in third-party logs).
		return nil, &apiError{http.StatusBadRequest, "PasswordPolicyViolation",
			fmt.Sprintf("Password should have a minimum length of %d", minPasswordLength)}
	}
	u.login = &loginProfile{created: a.clock(), resetRequired: reset}
	var b xmlBuilder
	writeLoginProfile(&b, u)
	a.changed()
	return &b, nil
}

func (a *account) deleteLoginProfile(form url.Values) (*xmlBuilder, *apiError) {
	u, err := a.targetUser(newValidator(form), userNameSpec, false, false)
	if err != nil {
		return nil, err
	}
	defer a.mu.Unlock()
	if u.login == nil {
		return nil, noSuchLoginProfile(u.name)
	}
	u.login = nil
	a.changed()
	return nil, nil
}
