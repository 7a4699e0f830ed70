package model

import "time"

// What an IAM user holds besides service-specific credentials: what the
// console's API-key flow leaves behind, and what IAM wants removed before it
// deletes the user.

// AccessKey is an IAM access key's metadata (ListAccessKeys); never its secret.
type AccessKey struct {
	ID      string
	Status  Status // Active or Inactive
	Created time.Time
}

// AttachedPolicy is a managed policy attached to a user.
type AttachedPolicy struct {
	Name string
	ARN  string
}

// Holdings is what one user holds besides its service-specific credentials:
// ListAccessKeys, GetLoginProfile, ListAttachedUserPolicies, ListUserPolicies
// and ListGroupsForUser.
type Holdings struct {
	User       string
	AccessKeys []AccessKey
	// LoginProfile: the user has a console password (GetLoginProfile found
	// one); LoginCreated is when it was set.
	LoginProfile bool
	LoginCreated time.Time
	Attached     []AttachedPolicy
	Inline       []string // inline policy names
	Groups       []string
	// Gone: IAM said the user no longer exists while it was read (deleted
	// meanwhile); everything else is then empty.
	Gone bool
}
