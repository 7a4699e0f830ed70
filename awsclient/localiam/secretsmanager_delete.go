package localiam

import "time"

// DeleteSecret and RestoreSecret: a deleted secret is scheduled for deletion
// (7 to 30 days later, 30 by default) and until then refuses its values
// (InvalidRequestException) and its name, and can be restored; at that time,
// or at once with ForceDeleteWithoutRecovery, it is gone (not found).

var (
	errMarkedDeleted = clientError("InvalidRequestException",
		"You can't perform this operation on the secret because it was marked for deletion.")
	errNameScheduled = clientError("InvalidRequestException",
		"You can't create this secret because a secret with this name is already scheduled for deletion.")
)

const defaultRecoveryDays = 30

// gone reports whether s's deletion time has come, and if so forgets it.
func (c *storeCall) gone(s *secret) bool {
	if s.deletion.IsZero() || c.now().Before(s.deletion) {
		return false
	}
	delete(c.st.secrets, s.name)
	return true
}

// liveSecret is findSecret for the calls a secret marked for deletion refuses.
func (c *storeCall) liveSecret(id string) (*secret, *storeError) {
	s, err := c.findSecret(id)
	if err == nil && !s.deletion.IsZero() {
		return nil, errMarkedDeleted
	}
	return s, err
}

type deleteSecretInput struct {
	SecretId                   *string
	RecoveryWindowInDays       *int64
	ForceDeleteWithoutRecovery *bool
}

type deleteSecretOutput struct {
	ARN          string       `json:"ARN"`
	Name         string       `json:"Name"`
	DeletionDate epochSeconds `json:"DeletionDate"`
}

// deleteSecret answers DeleteSecret.
func (c *storeCall) deleteSecret(body []byte) (any, *storeError) {
	var in deleteSecretInput
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	if err := secretIDCheck(in.SecretId); err != nil {
		return nil, err
	}
	force := in.ForceDeleteWithoutRecovery != nil && *in.ForceDeleteWithoutRecovery
	switch {
	case force && in.RecoveryWindowInDays != nil:
		return nil, clientError("InvalidParameterException",
			"You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.")
	case in.RecoveryWindowInDays != nil && (*in.RecoveryWindowInDays < 7 || *in.RecoveryWindowInDays > 30):
		return nil, clientError("InvalidParameterException", "The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).")
	}
	s, err := c.findSecret(*in.SecretId)
	if err != nil {
		return nil, err
	}
	now := c.now()
	switch {
	case force:
		s.deletion = now
		delete(c.st.secrets, s.name)
	case !s.deletion.IsZero():
		return nil, errMarkedDeleted // UNCERTAIN: AWS's answer to a second DeleteSecret
	default:
		days := int64(defaultRecoveryDays)
		if in.RecoveryWindowInDays != nil {
			days = *in.RecoveryWindowInDays
		}
		s.deletion = now.Add(time.Duration(days) * 24 * time.Hour)
	}
	return deleteSecretOutput{ARN: s.arn, Name: s.name, DeletionDate: epochSeconds(s.deletion)}, nil
}

// restoreSecret answers RestoreSecret: the secret is no longer scheduled for deletion.
func (c *storeCall) restoreSecret(body []byte) (any, *storeError) {
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
	s.deletion = time.Time{}
	return secretRef{ARN: s.arn, Name: s.name}, nil
}
