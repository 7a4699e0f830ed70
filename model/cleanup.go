package model

// The order IAM requires to delete a user: DeleteUser is refused with
// DeleteConflict while the user holds anything. The DeleteUser reference
// lists what must go first: the console password (login profile), access
// keys, signing certificates, SSH public keys, service-specific credentials,
// MFA devices, inline policies, attached managed policies, group memberships.
// iamcreds reads the ones the console's users are given or commonly gain;
// a signing certificate, SSH key or MFA device it does not read makes
// DeleteUser answer DeleteConflict, and the cleanup stops there, saying so.

// CleanupOp is one IAM action of a cleanup.
type CleanupOp string

const (
	OpDeleteLoginProfile  CleanupOp = "DeleteLoginProfile"
	OpDeleteAccessKey     CleanupOp = "DeleteAccessKey"
	OpDeactivateAccessKey CleanupOp = "UpdateAccessKey"
	OpDeleteCredential    CleanupOp = "DeleteServiceSpecificCredential"
	OpDeleteUserPolicy    CleanupOp = "DeleteUserPolicy"
	OpDetachUserPolicy    CleanupOp = "DetachUserPolicy"
	OpRemoveUserFromGroup CleanupOp = "RemoveUserFromGroup"
	OpDeleteUser          CleanupOp = "DeleteUser"
)

// CleanupStep is one call of a cleanup: the action and what it acts on (an
// access key ID, a credential ID, a policy name or ARN, a group name; the
// user for the login profile and DeleteUser).
type CleanupStep struct {
	User   string
	Op     CleanupOp
	Target string
	// What is the step in words: "delete access key AKIA… (Active)".
	What string
}

// RemovalPlan is every step that deletes j's user, in the order IAM
// requires, DeleteUser last.
func RemovalPlan(j JudgedUser) []CleanupStep {
	u := j.User.Name
	var steps []CleanupStep
	add := func(op CleanupOp, target, what string) {
		steps = append(steps, CleanupStep{User: u, Op: op, Target: target, What: what})
	}
	if j.Holdings.LoginProfile {
		add(OpDeleteLoginProfile, u, "delete the console password")
	}
	for _, k := range j.Holdings.AccessKeys {
		add(OpDeleteAccessKey, k.ID, "delete access key "+k.ID+" ("+string(k.Status)+")")
	}
	for _, c := range j.Credentials {
		add(OpDeleteCredential, c.ID, "delete "+c.ServiceInfo().Noun()+" "+c.ID+" ("+string(c.Status)+")")
	}
	for _, p := range j.Holdings.Inline {
		add(OpDeleteUserPolicy, p, "delete inline policy "+p)
	}
	for _, p := range j.Holdings.Attached {
		add(OpDetachUserPolicy, p.ARN, "detach policy "+p.Name)
	}
	for _, g := range j.Holdings.Groups {
		add(OpRemoveUserFromGroup, g, "remove from group "+g)
	}
	add(OpDeleteUser, u, "delete the user")
	return steps
}

// DeactivationPlan makes each of j's Active access keys Inactive: undoable,
// and nothing is deleted.
func DeactivationPlan(j JudgedUser) []CleanupStep {
	var steps []CleanupStep
	for _, k := range j.Holdings.AccessKeys {
		if k.Status == Active {
			steps = append(steps, CleanupStep{User: j.User.Name, Op: OpDeactivateAccessKey, Target: k.ID,
				What: "deactivate access key " + k.ID})
		}
	}
	return steps
}

// CleanupOutcome is how a cleanup step that returned err went: unknown when
// its reply was lost or never came (the step may have been done), not done
// when IAM refused it.
func CleanupOutcome(err error) Outcome {
	if err == nil {
		return OutcomeDone
	}
	switch KindOf(err) {
	case KindUnreachable, KindCanceled, KindUnconfirmed:
		return OutcomeUnknown
	}
	return OutcomeNotDone
}

// NewSteps is the steps of now that planned lacks: what the user gained (or
// what changed, a key's status) since the plan was shown.
func NewSteps(planned, now []CleanupStep) []CleanupStep {
	seen := make(map[CleanupStep]bool, len(planned))
	for _, s := range planned {
		seen[s] = true
	}
	var out []CleanupStep
	for _, s := range now {
		if !seen[s] {
			out = append(out, s)
		}
	}
	return out
}
