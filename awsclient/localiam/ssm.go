package localiam

import (
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Parameter Store: parameters with versions, per account and region. Served:
// PutParameter, GetParameter, DeleteParameter. Not modelled: labels, policies,
// shared (cross-account) parameters — an ARN of another account is
// AccessDeniedException — and KMS: a KeyId is kept and reported, never
// checked, and a SecureString read without WithDecryption answers a random
// stand-in for the ciphertext, fixed per version, that reveals nothing.

func init() {
	registerStore(&storeService{
		name: "ssm", targetPrefix: "AmazonSSM", messageKey: "message",
		throttled: &storeError{http.StatusBadRequest, "ThrottlingException", "Rate exceeded"},
		failed:    &storeError{http.StatusInternalServerError, "InternalServerError", "An error occurred on the server side."},
		ops: map[string]storeOp{
			"PutParameter":    (*storeCall).putParameter,
			"GetParameter":    (*storeCall).getParameter,
			"DeleteParameter": (*storeCall).deleteParameter,
		},
	})
}

const (
	paramSecure        = "SecureString"
	defaultParamKey    = "alias/aws/ssm"
	maxParamVersions   = 100
	maxParamLevels     = 15
	standardValueLimit = 4096
	advancedValueLimit = 8192
)

type parameter struct {
	name     string
	versions []*paramVersion // oldest first; the last is the parameter
}

type paramVersion struct {
	version                         int64
	typ, value, cipher, keyID, tier string
	description, dataType, pattern  string
	modified                        time.Time
}

func (p *parameter) current() *paramVersion { return p.versions[len(p.versions)-1] }

var (
	paramNamePattern  = regexp.MustCompile(`^[a-zA-Z0-9_./-]+$`)
	paramKeyPattern   = regexp.MustCompile(`^([a-zA-Z0-9:/_-]+)$`)
	paramARNPattern   = regexp.MustCompile(`^arn:aws[a-z-]*:ssm:([a-z0-9-]*):([0-9]{12}):parameter(/.+)$`)
	errParamNotFound  = &storeError{http.StatusBadRequest, "ParameterNotFound", ""}
	errParamNameChars = clientError("ValidationException", `Parameter name: can't be prefixed with "aws" or "ssm" (case-insensitive). `+
		"If formed as a path, it can consist of sub-paths divided by slash symbol; each sub-path can be formed as a mix "+
		"of letters, numbers and the following 3 symbols .-_")
)

// parameterARN is a parameter's ARN: a name without a leading slash gets one.
func parameterARN(region, account, name string) string {
	if !strings.HasPrefix(name, "/") {
		name = "/" + name
	}
	return "arn:aws:ssm:" + region + ":" + account + ":parameter" + name
}

// nameCheck validates a parameter name as PutParameter does.
func nameCheck(name string) *storeError {
	lower := strings.ToLower(strings.TrimPrefix(name, "/"))
	switch {
	case strings.HasPrefix(name, "arn:"):
		return clientError("ValidationException", "Parameter name: give the name, not the ARN, to PutParameter.") // UNCERTAIN wording
	case !paramNamePattern.MatchString(name):
		return errParamNameChars
	case strings.Contains(name, "/") && !strings.HasPrefix(name, "/"):
		return clientError("ValidationException", "Parameter name must be a fully qualified name.")
	case strings.HasPrefix(strings.ToLower(name), "/aws/"):
		return clientError("AccessDeniedException", "No access to reserved parameter name: %s.", name)
	case strings.HasPrefix(lower, "aws") || strings.HasPrefix(lower, "ssm"):
		return errParamNameChars
	case strings.Count(name, "/") > maxParamLevels:
		return clientError("HierarchyLevelLimitExceededException", "A hierarchy can have a maximum of 15 levels.")
	}
	return nil
}

type putParameterInput struct {
	Name, Description, Value, Type, KeyId *string
	Overwrite                             bool
	AllowedPattern, Tier, DataType        *string
	Tags                                  []secretTag
}

type putParameterOutput struct {
	Version int64  `json:"Version"`
	Tier    string `json:"Tier"`
}

// putParameter answers PutParameter: a new parameter at version 1, or with
// Overwrite the next version of an existing one (what the call leaves out is
// kept from the version before).
func (c *storeCall) putParameter(body []byte) (any, *storeError) {
	var in putParameterInput
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	switch {
	case in.Name == nil:
		return nil, required("name")
	case in.Value == nil:
		return nil, required("value")
	}
	if err := lengthCheck("name", *in.Name, false, 1, 2048); err != nil {
		return nil, err
	}
	if err := lengthCheck("value", *in.Value, true, 1, advancedValueLimit); err != nil {
		return nil, err
	}
	if err := nameCheck(*in.Name); err != nil {
		return nil, err
	}
	if in.Type != nil && *in.Type != "String" && *in.Type != "StringList" && *in.Type != paramSecure {
		return nil, validation("Value '%s' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [SecureString, StringList, String]", *in.Type)
	}
	if in.KeyId != nil && !paramKeyPattern.MatchString(*in.KeyId) {
		return nil, validation("Value '%s' at 'keyId' failed to satisfy constraint: Member must satisfy regular expression pattern: ^([a-zA-Z0-9:/_-]+)$", *in.KeyId)
	}
	if in.Overwrite && len(in.Tags) > 0 {
		return nil, clientError("ValidationException", "Invalid request: tags and overwrite can't be used together. "+
			"To create a parameter with tags, please remove overwrite flag. To update tags for an existing parameter, "+
			"please use AddTagsToResource or RemoveTagsFromResource.")
	}
	old := c.st.params[*in.Name]
	if old != nil && !in.Overwrite {
		return nil, clientError("ParameterAlreadyExists", "The parameter already exists. To overwrite this value, set the overwrite option in the request to true.")
	}
	v := &paramVersion{version: 1, tier: "Standard", dataType: "text", modified: c.now()}
	if old != nil {
		prev := *old.current()
		v.version, v.typ, v.keyID, v.description, v.dataType, v.pattern = prev.version+1, prev.typ, prev.keyID, prev.description, prev.dataType, prev.pattern
	}
	set := func(dst *string, src *string) {
		if src != nil {
			*dst = *src
		}
	}
	set(&v.typ, in.Type)
	set(&v.keyID, in.KeyId)
	set(&v.description, in.Description)
	set(&v.dataType, in.DataType)
	set(&v.pattern, in.AllowedPattern)
	v.value = *in.Value
	if err := c.checkParamVersion(v, in); err != nil {
		return nil, err
	}
	if v.typ == paramSecure {
		if v.keyID == "" {
			v.keyID = defaultParamKey
		}
		v.cipher = standInCiphertext(len(v.value))
	}
	if old == nil {
		old = &parameter{name: *in.Name}
		c.st.params[old.name] = old
	}
	old.versions = append(old.versions, v)
	if len(old.versions) > maxParamVersions {
		old.versions = old.versions[1:]
	}
	return putParameterOutput{Version: v.version, Tier: v.tier}, nil
}

// checkParamVersion checks what depends on more than one member; it sets the tier.
func (c *storeCall) checkParamVersion(v *paramVersion, in putParameterInput) *storeError {
	switch {
	case v.typ == "":
		return clientError("ValidationException", "A parameter type is required when you create a parameter.")
	case in.KeyId != nil && v.typ != paramSecure:
		return clientError("ValidationException", "KeyId is required for SecureString type parameter only.")
	case v.dataType != "text" && v.dataType != "aws:ec2:image" && v.dataType != "aws:ssm:integration":
		return clientError("ValidationException", "The following data type is not supported: %s (Data type names are all lowercase.)", v.dataType)
	case in.Description != nil && len(*in.Description) > 1024:
		return lengthCheck("description", *in.Description, false, 0, 1024)
	}
	if v.pattern != "" {
		rx, err := regexp.Compile("^(?:" + v.pattern + ")$")
		if err != nil {
			return clientError("InvalidAllowedPatternException", "The allowed pattern is not a valid regular expression.")
		}
		if !rx.MatchString(v.value) {
			return clientError("ParameterPatternMismatchException", "Parameter value, cannot be validated against allowedPattern: %s", v.pattern)
		}
	}
	tier := "Standard"
	if in.Tier != nil {
		tier = *in.Tier
	}
	switch tier {
	case "Standard", "Advanced":
	case "Intelligent-Tiering":
		tier = "Standard"
		if len([]rune(v.value)) > standardValueLimit {
			tier = "Advanced"
		}
	default:
		return validation("Value '%s' at 'tier' failed to satisfy constraint: Member must satisfy enum value set: [Advanced, Intelligent-Tiering, Standard]", tier)
	}
	if tier == "Standard" && len([]rune(v.value)) > standardValueLimit {
		return clientError("ValidationException", "Standard tier parameters support a maximum parameter value of 4096 characters. "+
			"To create a larger parameter value, upgrade the parameter to use the advanced-parameter tier.")
	}
	v.tier = tier
	return nil
}

// standInCiphertext looks like a KMS ciphertext blob of an n-byte value and
// is random: it tells nothing of the value.
func standInCiphertext(n int) string {
	b := make([]byte, 150+n)
	_, _ = rand.Read(b)
	b[0], b[1], b[2], b[3], b[4] = 0x01, 0x02, 0x02, 0x00, 0x78 // "AQICAHh…", as KMS blobs begin
	return base64.StdEncoding.EncodeToString(b)
}

type getParameterInput struct {
	Name           *string
	WithDecryption bool
}

type parameterOut struct {
	Name             string       `json:"Name"`
	Type             string       `json:"Type"`
	Value            string       `json:"Value"`
	Version          int64        `json:"Version"`
	Selector         string       `json:"Selector,omitempty"`
	LastModifiedDate epochSeconds `json:"LastModifiedDate"`
	ARN              string       `json:"ARN"`
	DataType         string       `json:"DataType"`
}

type getParameterOutput struct {
	Parameter parameterOut `json:"Parameter"`
}

// getParameter answers GetParameter by name or ARN, with an optional ":VERSION"
// selector. A SecureString's value is the plaintext only WithDecryption.
func (c *storeCall) getParameter(body []byte) (any, *storeError) {
	var in getParameterInput
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	if in.Name == nil {
		return nil, required("name")
	}
	if err := lengthCheck("name", *in.Name, false, 1, 2048); err != nil {
		return nil, err
	}
	names := []string{*in.Name}
	if m := paramARNPattern.FindStringSubmatch(*in.Name); m != nil {
		if m[2] != c.caller.acct.id {
			return nil, c.resourceDenied(*in.Name)
		}
		if m[1] != c.region {
			return nil, errParamNotFound
		}
		names = []string{m[3]}
		if strings.Count(m[3], "/") == 1 {
			names = append(names, m[3][1:]) // "parameter/x" is the ARN of "x" and of "/x"
		}
	}
	for _, full := range names {
		name, selector, hasSelector := strings.Cut(full, ":")
		p := c.st.params[name]
		if p == nil {
			continue
		}
		v := p.current()
		if hasSelector {
			n, err := strconv.ParseInt(selector, 10, 64)
			v = nil
			for _, pv := range p.versions {
				if err == nil && pv.version == n {
					v = pv
				}
			}
			if v == nil {
				// UNCERTAIN for a label: labels are not modelled.
				return nil, clientError("ParameterVersionNotFound",
					"Systems Manager could not find version %s of %s. Verify the version and try again.", selector, name)
			}
		}
		out := parameterOut{Name: name, Type: v.typ, Value: v.value, Version: v.version, LastModifiedDate: epochSeconds(v.modified),
			ARN: parameterARN(c.region, c.caller.acct.id, name), DataType: v.dataType}
		if hasSelector {
			out.Selector = ":" + selector
		}
		if v.typ == paramSecure && !in.WithDecryption {
			out.Value = v.cipher
		}
		return getParameterOutput{out}, nil
	}
	return nil, errParamNotFound
}

// deleteParameter answers DeleteParameter: the parameter and all its versions.
func (c *storeCall) deleteParameter(body []byte) (any, *storeError) {
	var in struct{ Name *string }
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	if in.Name == nil {
		return nil, required("name")
	}
	if err := lengthCheck("name", *in.Name, false, 1, 2048); err != nil {
		return nil, err
	}
	if c.st.params[*in.Name] == nil {
		return nil, errParamNotFound
	}
	delete(c.st.params, *in.Name)
	return struct{}{}, nil
}
