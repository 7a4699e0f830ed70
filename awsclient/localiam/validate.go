package localiam

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"
)

// A validator collects constraint violations in the format of AWS's request
// validation ("1 validation error detected: Value at 'userName' failed to …"),
// which runs before any lookup (contract §4.4).
type validator struct {
	form url.Values
	errs []string
}

func newValidator(form url.Values) *validator { return &validator{form: form} }

func (v *validator) fail(field, constraint string) {
	v.errs = append(v.errs, fmt.Sprintf("Value at '%s' failed to satisfy constraint: %s", field, constraint))
}

func (v *validator) null(field string) {
	v.errs = append(v.errs, fmt.Sprintf("Value null at '%s' failed to satisfy constraint: Member must not be null", field))
}

func (v *validator) err() *apiError {
	switch n := len(v.errs); n {
	case 0:
		return nil
	case 1:
		return validationError("1 validation error detected: " + v.errs[0])
	default:
		return validationError(fmt.Sprintf("%d validation errors detected: %s", n, strings.Join(v.errs, "; ")))
	}
}

// strSpec is a string member's model constraints.
type strSpec struct {
	min, max int
	ok       func(rune) bool // every character must satisfy it
	pattern  string          // the model's pattern, quoted in the message
	check    func(string) bool
}

var (
	userNameSpec         = strSpec{min: 1, max: 64, ok: isUserNameChar, pattern: `[\w+=,.@-]+`}
	existingUserNameSpec = strSpec{min: 1, max: 128, ok: isUserNameChar, pattern: `[\w+=,.@-]+`}
	credentialIDSpec     = strSpec{min: 20, max: 128, ok: isWordChar, pattern: `[\w]+`}
	markerSpec           = strSpec{min: 1, max: 320, ok: func(r rune) bool { return r >= 0x20 && r <= 0xFF }, pattern: `[\u0020-\u00FF]+`}
	pathSpec             = strSpec{min: 1, max: 512, pattern: `(\u002F)|(\u002F[\u0021-\u007E]+\u002F)`, check: isPath}
	pathPrefixSpec       = strSpec{min: 1, max: 512, pattern: `\u002F[\u0021-\u007F]*`, check: isPathPrefix}
	// serviceName has no pattern or length in the model; an unknown one is NoSuchEntity.
	serviceNameSpec = strSpec{max: 1 << 20}
)

func isWordChar(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_'
}

func isUserNameChar(r rune) bool { return isWordChar(r) || strings.ContainsRune("+=,.@-", r) }

func isPath(s string) bool {
	if s == "/" {
		return true
	}
	if len(s) < 3 || s[0] != '/' || s[len(s)-1] != '/' {
		return false
	}
	for _, r := range s[1 : len(s)-1] {
		if r < 0x21 || r > 0x7E {
			return false
		}
	}
	return true
}

func isPathPrefix(s string) bool {
	if s == "" || s[0] != '/' {
		return false
	}
	for _, r := range s[1:] {
		if r < 0x21 || r > 0x7F {
			return false
		}
	}
	return true
}

func (sp strSpec) valid(s string) bool {
	if sp.check != nil {
		return sp.check(s)
	}
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if !sp.ok(r) {
			return false
		}
	}
	return true
}

// str returns the member's value and whether it was sent. A violation is
// recorded and reported as not sent, so callers can ignore invalid values.
func (v *validator) str(key, field string, sp strSpec, required bool) (string, bool) {
	vals, present := v.form[key]
	if !present {
		if required {
			v.null(field)
		}
		return "", false
	}
	s := vals[0]
	n := utf8.RuneCountInString(s)
	switch {
	case n < sp.min:
		v.fail(field, fmt.Sprintf("Member must have length greater than or equal to %d", sp.min))
	case n > sp.max:
		v.fail(field, fmt.Sprintf("Member must have length less than or equal to %d", sp.max))
	case sp.pattern != "" && !sp.valid(s):
		v.fail(field, "Member must satisfy regular expression pattern: "+sp.pattern)
	default:
		return s, true
	}
	return "", false
}

// int returns an integer member, def when absent or invalid.
func (v *validator) int(key, field string, lo, hi, def int) (int, bool) {
	vals, present := v.form[key]
	if !present {
		return def, false
	}
	n, err := strconv.Atoi(strings.TrimSpace(vals[0]))
	switch {
	case err != nil:
		v.fail(field, "Member must be an integer")
	case n < lo:
		v.fail(field, fmt.Sprintf("Member must have value greater than or equal to %d", lo))
	case n > hi:
		v.fail(field, fmt.Sprintf("Member must have value less than or equal to %d", hi))
	default:
		return n, true
	}
	return def, false
}

func (v *validator) bool(key, field string) bool {
	vals, present := v.form[key]
	if !present {
		return false
	}
	switch {
	case strings.EqualFold(vals[0], "true"):
		return true
	case strings.EqualFold(vals[0], "false"):
		return false
	}
	v.fail(field, "Member must be a boolean")
	return false
}

// status validates a Status a client may set. Expired is IAM's own verdict, so a
// client setting it is refused like any value outside the enum (contract §3.7:
// UNCERTAIN, recommended "reject").
func (v *validator) status(key, field string) (string, bool) {
	vals, present := v.form[key]
	if !present {
		v.null(field)
		return "", false
	}
	switch vals[0] {
	case statusActive, statusInactive:
		return vals[0], true
	}
	v.fail(field, "Member must satisfy enum value set: [Active, Inactive, Expired]")
	return "", false
}

// paging reads Marker and MaxItems, shared by the list actions.
func (v *validator) paging() (marker string, hasMarker bool, maxItems int) {
	marker, hasMarker = v.str("Marker", "marker", markerSpec, false)
	maxItems, _ = v.int("MaxItems", "maxItems", 1, 1000, defaultMaxItems)
	return marker, hasMarker, maxItems
}
