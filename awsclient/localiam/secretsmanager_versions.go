package localiam

import (
	"encoding/base64"
	"slices"
	"strconv"
	"strings"
)

// Versions and staging labels: PutSecretValue, UpdateSecretVersionStage,
// ListSecretVersionIds. A label is on one version at most; whenever AWSCURRENT
// moves, AWSPREVIOUS moves to the version it left. A version without a label
// is deprecated: kept, not listed unless asked, and dropped (oldest first)
// once a secret has more than maxSecretVersions versions.

const maxSecretVersions = 100

// moveStage puts label on v, taking it from the version that had it.
func (s *secret) moveStage(label string, v *secretVersion) {
	from := s.staged(label)
	if from == v {
		return
	}
	if from != nil {
		from.stages = slices.DeleteFunc(from.stages, func(l string) bool { return l == label })
	}
	v.stages = append(v.stages, label)
	if label == stageCurrent && from != nil {
		s.moveStage(stagePrevious, from)
	}
}

// prune drops the oldest deprecated versions beyond maxSecretVersions.
func (s *secret) prune() {
	for len(s.versions) > maxSecretVersions {
		i := slices.IndexFunc(s.versions, func(v *secretVersion) bool { return len(v.stages) == 0 })
		if i < 0 {
			return
		}
		s.versions = slices.Delete(s.versions, i, i+1)
	}
}

type putSecretValueInput struct {
	SecretId, ClientRequestToken, SecretString *string
	SecretBinary                               []byte
	VersionStages                              []string
	RotationToken                              *string
}

type putSecretValueOutput struct {
	ARN           string   `json:"ARN"`
	Name          string   `json:"Name"`
	VersionID     string   `json:"VersionId"`
	VersionStages []string `json:"VersionStages"`
}

func stagesCheck(stages []string) *storeError {
	if len(stages) > 20 {
		return validation("Value '[%s]' at 'versionStages' failed to satisfy constraint: Member must have length less than or equal to 20",
			strings.Join(stages, ", "))
	}
	for _, l := range stages {
		if err := lengthCheck("versionStages", l, false, 1, 256); err != nil {
			return err
		}
	}
	return nil
}

// putSecretValue answers PutSecretValue: a new version with the labels asked
// (AWSCURRENT by default, and always on a secret's first version). A retry
// with the same ClientRequestToken and value changes nothing and answers the
// version's labels; with another value it is ResourceExistsException.
func (c *storeCall) putSecretValue(body []byte) (any, *storeError) {
	var in putSecretValueInput
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	for _, err := range []*storeError{secretIDCheck(in.SecretId), tokenCheck(in.ClientRequestToken),
		valueCheck(in.SecretString, in.SecretBinary), stagesCheck(in.VersionStages)} {
		if err != nil {
			return nil, err
		}
	}
	if in.VersionStages != nil && len(in.VersionStages) == 0 {
		return nil, validation("Value '[]' at 'versionStages' failed to satisfy constraint: Member must have length greater than or equal to 1")
	}
	s, err := c.liveSecret(*in.SecretId)
	if err != nil {
		return nil, err
	}
	if in.SecretString == nil && in.SecretBinary == nil {
		// UNCERTAIN: the code and wording AWS uses for a call without a value.
		return nil, clientError("InvalidRequestException", "You must provide either SecretString or SecretBinary.")
	}
	token := newUUID()
	if in.ClientRequestToken != nil {
		token = *in.ClientRequestToken
	}
	if v := s.version(token); v != nil {
		if !v.sameValue(in.SecretString, in.SecretBinary) {
			return nil, tokenInUse(token, s)
		}
		return putSecretValueOutput{ARN: s.arn, Name: s.name, VersionID: v.id, VersionStages: slices.Clone(v.stages)}, nil
	}
	stages := in.VersionStages
	if stages == nil {
		stages = []string{stageCurrent}
	}
	if len(s.versions) == 0 && !slices.Contains(stages, stageCurrent) {
		stages = append(slices.Clone(stages), stageCurrent)
	}
	now := c.now()
	v := &secretVersion{id: token, str: in.SecretString, bin: in.SecretBinary, created: now}
	s.versions = append(s.versions, v)
	for _, label := range uniq(stages) {
		s.moveStage(label, v)
	}
	s.changed = now
	s.prune()
	return putSecretValueOutput{ARN: s.arn, Name: s.name, VersionID: v.id, VersionStages: slices.Clone(v.stages)}, nil
}

func uniq(list []string) []string {
	var out []string
	for _, l := range list {
		if !slices.Contains(out, l) {
			out = append(out, l)
		}
	}
	return out
}

type updateStageInput struct {
	SecretId, VersionStage, RemoveFromVersionId, MoveToVersionId *string
}

// updateSecretVersionStage answers UpdateSecretVersionStage: the label moves
// to MoveToVersionId (taken from RemoveFromVersionId, which must name the
// version that has it), or is removed from RemoveFromVersionId.
func (c *storeCall) updateSecretVersionStage(body []byte) (any, *storeError) {
	var in updateStageInput
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	if err := secretIDCheck(in.SecretId); err != nil {
		return nil, err
	}
	if in.VersionStage == nil {
		return nil, required("versionStage")
	}
	for member, id := range map[string]*string{"removeFromVersionId": in.RemoveFromVersionId, "moveToVersionId": in.MoveToVersionId} {
		if id != nil {
			if err := lengthCheck(member, *id, false, 32, 64); err != nil {
				return nil, err
			}
		}
	}
	if err := lengthCheck("versionStage", *in.VersionStage, false, 1, 256); err != nil {
		return nil, err
	}
	s, err := c.liveSecret(*in.SecretId)
	if err != nil {
		return nil, err
	}
	label := *in.VersionStage
	holder := s.staged(label)
	var from, to *secretVersion
	for _, p := range []struct {
		id *string
		v  **secretVersion
	}{{in.RemoveFromVersionId, &from}, {in.MoveToVersionId, &to}} {
		if p.id == nil {
			continue
		}
		if *p.v = s.version(*p.id); *p.v == nil {
			return nil, clientError("ResourceNotFoundException",
				"Secrets Manager can't find the specified secret value for VersionId: %s", *p.id)
		}
	}
	switch {
	case to == nil && from == nil:
		return nil, clientError("InvalidParameterException",
			"You must specify MoveToVersionId, RemoveFromVersionId, or both.")
	case from != nil && from != holder:
		return nil, clientError("InvalidParameterException",
			"The staging label %s is not attached to version %s, so you can't remove it from that version.", label, from.id)
	case to != nil && holder != nil && holder != to && from != holder:
		return nil, clientError("InvalidParameterException",
			"The parameter RemoveFromVersionId can't be empty. Staging label %s is currently attached to version %s, "+
				"so you must explicitly reference that version in RemoveFromVersionId.", label, holder.id)
	case to == nil && label == stageCurrent:
		// UNCERTAIN: AWS's wording; a secret keeps AWSCURRENT on some version.
		return nil, clientError("InvalidParameterException",
			"You can't remove the staging label AWSCURRENT from a version without moving it to another (MoveToVersionId).")
	case to == nil:
		from.stages = slices.DeleteFunc(from.stages, func(l string) bool { return l == label })
	default:
		s.moveStage(label, to)
	}
	s.changed = c.now()
	s.prune()
	return secretRef{ARN: s.arn, Name: s.name}, nil
}

type listVersionsInput struct {
	SecretId          *string
	MaxResults        *int
	NextToken         *string
	IncludeDeprecated bool
}

type listedVersion struct {
	VersionID        string        `json:"VersionId"`
	VersionStages    []string      `json:"VersionStages,omitempty"`
	LastAccessedDate *epochSeconds `json:"LastAccessedDate,omitempty"`
	CreatedDate      epochSeconds  `json:"CreatedDate"`
	KmsKeyIDs        []string      `json:"KmsKeyIds"`
}

type listVersionsOutput struct {
	Versions  []listedVersion `json:"Versions"`
	NextToken string          `json:"NextToken,omitempty"`
	ARN       string          `json:"ARN"`
	Name      string          `json:"Name"`
}

// listSecretVersionIds answers ListSecretVersionIds, newest first, the
// deprecated versions only when IncludeDeprecated.
func (c *storeCall) listSecretVersionIds(body []byte) (any, *storeError) {
	var in listVersionsInput
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	if err := secretIDCheck(in.SecretId); err != nil {
		return nil, err
	}
	if in.MaxResults != nil && (*in.MaxResults < 1 || *in.MaxResults > 100) {
		return nil, validation("Value '%d' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 100", *in.MaxResults)
	}
	s, err := c.findSecret(*in.SecretId)
	if err != nil {
		return nil, err
	}
	key := s.kmsKeyID
	if key == "" {
		key = "DefaultEncryptionKey"
	}
	var all []listedVersion
	for _, v := range slices.Backward(s.versions) {
		if len(v.stages) == 0 && !in.IncludeDeprecated {
			continue
		}
		lv := listedVersion{VersionID: v.id, VersionStages: slices.Clone(v.stages), CreatedDate: epochSeconds(v.created), KmsKeyIDs: []string{key}}
		if !v.accessed.IsZero() {
			accessed := epochSeconds(v.accessed)
			lv.LastAccessedDate = &accessed
		}
		all = append(all, lv)
	}
	start := 0
	if in.NextToken != nil {
		raw, derr := base64.RawURLEncoding.DecodeString(*in.NextToken)
		n, aerr := strconv.Atoi(strings.TrimPrefix(string(raw), "versions from "))
		if derr != nil || aerr != nil || !strings.HasPrefix(string(raw), "versions from ") || n < 0 || n > len(all) {
			return nil, clientError("InvalidNextTokenException", "The NextToken value is invalid.")
		}
		start = n
	}
	size := 100
	if in.MaxResults != nil {
		size = *in.MaxResults
	}
	end := min(start+size, len(all))
	out := listVersionsOutput{Versions: all[start:end], ARN: s.arn, Name: s.name}
	if out.Versions == nil {
		out.Versions = []listedVersion{}
	}
	if end < len(all) {
		out.NextToken = base64.RawURLEncoding.EncodeToString([]byte("versions from " + strconv.Itoa(end)))
	}
	return out, nil
}
