package localiam

import (
	"bytes"
	"crypto/rand"
	"net/http"
	"regexp"
	"slices"
	"time"
)

// Secrets Manager: secrets with versions and staging labels, per account and
// region. Served: CreateSecret, DescribeSecret, GetSecretValue (here),
// PutSecretValue, UpdateSecretVersionStage and ListSecretVersionIds
// (secretsmanager_versions.go), DeleteSecret and RestoreSecret
// (secretsmanager_delete.go). Not modelled: rotation, replicas,
// resource policies (a secret of another account is AccessDeniedException to
// everyone), KMS (a KmsKeyId is kept and reported, never checked).

func init() {
	registerStore(&storeService{
		name: "secretsmanager", targetPrefix: "secretsmanager", messageKey: "Message",
		throttled: &storeError{http.StatusBadRequest, "ThrottlingException", "Rate exceeded"},
		failed: &storeError{http.StatusInternalServerError, "InternalServiceError",
			"An error occurred on the server side."},
		ops: map[string]storeOp{
			"CreateSecret":             (*storeCall).createSecret,
			"DescribeSecret":           (*storeCall).describeSecret,
			"GetSecretValue":           (*storeCall).getSecretValue,
			"PutSecretValue":           (*storeCall).putSecretValue,
			"UpdateSecretVersionStage": (*storeCall).updateSecretVersionStage,
			"ListSecretVersionIds":     (*storeCall).listSecretVersionIds,
			"DeleteSecret":             (*storeCall).deleteSecret,
			"RestoreSecret":            (*storeCall).restoreSecret,
		},
	})
}

// Staging labels Secrets Manager moves by itself.
const (
	stageCurrent  = "AWSCURRENT"
	stagePrevious = "AWSPREVIOUS"
)

type secret struct {
	name, arn             string
	description, kmsKeyID string
	tags                  []secretTag
	created, changed      time.Time
	accessed              time.Time // a day, as AWS reports it; zero: never read
	deletion              time.Time // when it is deleted; zero: not scheduled
	versions              []*secretVersion
}

type secretVersion struct {
	id       string
	str      *string // SecretString, or
	bin      []byte  // SecretBinary
	stages   []string
	created  time.Time
	accessed time.Time
}

type secretTag struct {
	Key   string `json:"Key"`
	Value string `json:"Value"`
}

var (
	errSecretNotFound = clientError("ResourceNotFoundException", "Secrets Manager can't find the specified secret.")
	errBothValues     = clientError("InvalidParameterException",
		"You can't specify both a binary secret value and a string secret value in the same secret.")
	// secretNamePattern is the characters a secret name may have.
	secretNamePattern = regexp.MustCompile(`^[A-Za-z0-9/_+=.@-]+$`)
	// secretARNPattern splits a secret ARN into region, account and the rest
	// (the name, with or without the 6-character suffix).
	secretARNPattern = regexp.MustCompile(`^arn:aws[a-z-]*:secretsmanager:([a-z0-9-]*):([0-9]{12}):secret:(.+)$`)
)

// findSecret looks a SecretId up: a name, a full ARN, or a partial ARN (the
// ARN without the suffix). An ARN of another account is AccessDenied, since no
// resource policy can allow the call; of another region, not found.
func (c *storeCall) findSecret(id string) (*secret, *storeError) {
	if m := secretARNPattern.FindStringSubmatch(id); m != nil {
		if m[2] != c.caller.acct.id {
			return nil, c.resourceDenied(id)
		}
		if m[1] != c.region {
			return nil, errSecretNotFound
		}
		for _, s := range c.st.secrets {
			if s.arn == id && !c.gone(s) {
				return s, nil
			}
		}
		if s := c.st.secrets[m[3]]; s != nil && !c.gone(s) { // the ARN without its suffix
			return s, nil
		}
		return nil, errSecretNotFound
	}
	if s := c.st.secrets[id]; s != nil && !c.gone(s) {
		return s, nil
	}
	return nil, errSecretNotFound
}

// secretIDCheck validates a required SecretId.
func secretIDCheck(id *string) *storeError {
	if id == nil {
		return required("secretId")
	}
	return lengthCheck("secretId", *id, false, 1, 2048)
}

// valueCheck validates SecretString and SecretBinary, never quoting them.
func valueCheck(str *string, bin []byte) *storeError {
	switch {
	case str != nil && bin != nil:
		return errBothValues
	case str != nil:
		return lengthCheck("secretString", *str, true, 1, 65536)
	case bin != nil && (len(bin) < 1 || len(bin) > 65536):
		return lengthCheck("secretBinary", string(bin), true, 1, 65536)
	}
	return nil
}

func tokenCheck(token *string) *storeError {
	if token == nil {
		return nil
	}
	return lengthCheck("clientRequestToken", *token, false, 32, 64)
}

func (v *secretVersion) sameValue(str *string, bin []byte) bool {
	if (v.str == nil) != (str == nil) || (v.bin == nil) != (bin == nil) {
		return false
	}
	return (str == nil || *v.str == *str) && bytes.Equal(v.bin, bin)
}

func (s *secret) version(id string) *secretVersion {
	for _, v := range s.versions {
		if v.id == id {
			return v
		}
	}
	return nil
}

// staged is the version that holds label, or nil.
func (s *secret) staged(label string) *secretVersion {
	for _, v := range s.versions {
		if slices.Contains(v.stages, label) {
			return v
		}
	}
	return nil
}

const suffixAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

// secretARN is the new secret's ARN: the name, a hyphen and 6 random characters.
func secretARN(region, account, name string) string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	suffix := make([]byte, 6)
	for i, x := range b {
		suffix[i] = suffixAlphabet[int(x)%len(suffixAlphabet)]
	}
	return "arn:aws:secretsmanager:" + region + ":" + account + ":secret:" + name + "-" + string(suffix)
}

// now is the time the stores record: UTC, to the millisecond (as the
// JSON protocol's timestamps carry).
func (c *storeCall) now() time.Time { return c.srv.now().UTC().Truncate(time.Millisecond) }

type createSecretInput struct {
	Name, ClientRequestToken, Description, KmsKeyId, SecretString *string
	SecretBinary                                                  []byte
	Tags                                                          []secretTag
	AddReplicaRegions                                             []any
}

type secretRef struct {
	ARN       string `json:"ARN"`
	Name      string `json:"Name"`
	VersionID string `json:"VersionId,omitempty"`
}

// createSecret answers CreateSecret: the secret, and its first version
// (AWSCURRENT) when a value comes with it. A retry with the same
// ClientRequestToken and value answers as the first call did.
func (c *storeCall) createSecret(body []byte) (any, *storeError) {
	var in createSecretInput
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	if in.Name == nil {
		return nil, required("name")
	}
	for _, err := range []*storeError{
		lengthCheck("name", *in.Name, false, 1, 512), tokenCheck(in.ClientRequestToken), valueCheck(in.SecretString, in.SecretBinary),
	} {
		if err != nil {
			return nil, err
		}
	}
	switch {
	case in.Description != nil && len(*in.Description) > 2048:
		return nil, lengthCheck("description", *in.Description, false, 0, 2048)
	case in.KmsKeyId != nil && len(*in.KmsKeyId) > 2048:
		return nil, lengthCheck("kmsKeyId", *in.KmsKeyId, false, 0, 2048)
	case !secretNamePattern.MatchString(*in.Name):
		return nil, clientError("InvalidParameterException",
			"Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!")
	case len(in.AddReplicaRegions) > 0:
		return nil, clientError("InvalidRequestException", "localiam does not model replica regions (AddReplicaRegions).")
	}
	hasValue := in.SecretString != nil || in.SecretBinary != nil
	token := newUUID()
	if in.ClientRequestToken != nil {
		token = *in.ClientRequestToken
	}
	if old := c.st.secrets[*in.Name]; old != nil && !c.gone(old) {
		if !old.deletion.IsZero() {
			return nil, errNameScheduled
		}
		v := old.version(token)
		if in.ClientRequestToken == nil || v == nil {
			return nil, clientError("ResourceExistsException", "The operation failed because the secret %s already exists.", *in.Name)
		}
		if !v.sameValue(in.SecretString, in.SecretBinary) {
			return nil, tokenInUse(token, old)
		}
		return secretRef{ARN: old.arn, Name: old.name, VersionID: v.id}, nil
	}
	now := c.now()
	s := &secret{name: *in.Name, arn: secretARN(c.region, c.caller.acct.id, *in.Name), tags: in.Tags, created: now, changed: now}
	if in.Description != nil {
		s.description = *in.Description
	}
	if in.KmsKeyId != nil {
		s.kmsKeyID = *in.KmsKeyId
	}
	out := secretRef{ARN: s.arn, Name: s.name}
	if hasValue {
		s.versions = []*secretVersion{{id: token, str: in.SecretString, bin: in.SecretBinary, stages: []string{stageCurrent}, created: now}}
		out.VersionID = token
	}
	c.st.secrets[s.name] = s
	return out, nil
}

func tokenInUse(token string, s *secret) *storeError {
	return clientError("ResourceExistsException",
		"You can't use ClientRequestToken %s because that value is already in use for a version of secret %s.", token, s.arn)
}

type secretIDInput struct {
	SecretId *string
}

type describeSecretOutput struct {
	ARN                string              `json:"ARN"`
	Name               string              `json:"Name"`
	Description        string              `json:"Description,omitempty"`
	KmsKeyID           string              `json:"KmsKeyId,omitempty"`
	LastChangedDate    *epochSeconds       `json:"LastChangedDate,omitempty"`
	LastAccessedDate   *epochSeconds       `json:"LastAccessedDate,omitempty"`
	DeletedDate        *epochSeconds       `json:"DeletedDate,omitempty"`
	Tags               []secretTag         `json:"Tags,omitempty"`
	VersionIDsToStages map[string][]string `json:"VersionIdsToStages,omitempty"`
	CreatedDate        epochSeconds        `json:"CreatedDate"`
}

// describeSecret answers DescribeSecret: metadata, and the versions that have
// a staging label (the others are deprecated, and not listed).
func (c *storeCall) describeSecret(body []byte) (any, *storeError) {
	var in secretIDInput
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	if err := secretIDCheck(in.SecretId); err != nil {
		return nil, err
	}
	s, err := c.findSecret(*in.SecretId)
	if err != nil {
		return nil, err
	}
	changed := epochSeconds(s.changed)
	out := describeSecretOutput{ARN: s.arn, Name: s.name, Description: s.description, KmsKeyID: s.kmsKeyID,
		LastChangedDate: &changed, Tags: s.tags, CreatedDate: epochSeconds(s.created)}
	if !s.accessed.IsZero() {
		accessed := epochSeconds(s.accessed)
		out.LastAccessedDate = &accessed
	}
	if !s.deletion.IsZero() {
		deleted := epochSeconds(s.deletion)
		out.DeletedDate = &deleted
	}
	for _, v := range s.versions {
		if len(v.stages) > 0 {
			if out.VersionIDsToStages == nil {
				out.VersionIDsToStages = map[string][]string{}
			}
			out.VersionIDsToStages[v.id] = append([]string(nil), v.stages...)
		}
	}
	return out, nil
}

type getSecretValueInput struct {
	SecretId, VersionId, VersionStage *string
}

type getSecretValueOutput struct {
	ARN           string       `json:"ARN"`
	Name          string       `json:"Name"`
	VersionID     string       `json:"VersionId"`
	SecretString  *string      `json:"SecretString,omitempty"`
	SecretBinary  []byte       `json:"SecretBinary,omitempty"`
	VersionStages []string     `json:"VersionStages"`
	CreatedDate   epochSeconds `json:"CreatedDate"`
}

// getSecretValue answers GetSecretValue: the version named by VersionId, by
// VersionStage, or AWSCURRENT.
func (c *storeCall) getSecretValue(body []byte) (any, *storeError) {
	var in getSecretValueInput
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	if err := secretIDCheck(in.SecretId); err != nil {
		return nil, err
	}
	if in.VersionId != nil {
		if err := lengthCheck("versionId", *in.VersionId, false, 32, 64); err != nil {
			return nil, err
		}
	}
	if in.VersionStage != nil {
		if err := lengthCheck("versionStage", *in.VersionStage, false, 1, 256); err != nil {
			return nil, err
		}
	}
	s, err := c.liveSecret(*in.SecretId)
	if err != nil {
		return nil, err
	}
	var v *secretVersion
	switch {
	case in.VersionId != nil:
		if v = s.version(*in.VersionId); v == nil {
			return nil, clientError("ResourceNotFoundException",
				"Secrets Manager can't find the specified secret value for VersionId: %s", *in.VersionId)
		}
		if in.VersionStage != nil && !slices.Contains(v.stages, *in.VersionStage) {
			return nil, clientError("InvalidRequestException",
				"You provided a VersionStage that is not associated to the provided VersionId.")
		}
	default:
		stage := stageCurrent
		if in.VersionStage != nil {
			stage = *in.VersionStage
		}
		if v = s.staged(stage); v == nil {
			return nil, clientError("ResourceNotFoundException",
				"Secrets Manager can't find the specified secret value for staging label: %s", stage)
		}
	}
	day := c.now().Truncate(24 * time.Hour)
	s.accessed, v.accessed = day, day
	return getSecretValueOutput{ARN: s.arn, Name: s.name, VersionID: v.id, SecretString: v.str, SecretBinary: v.bin,
		VersionStages: append([]string{}, v.stages...), CreatedDate: epochSeconds(v.created)}, nil
}
