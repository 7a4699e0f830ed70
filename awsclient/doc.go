// Package awsclient is the only package that talks to AWS. It wraps the IAM,
// STS, Organizations, Secrets Manager and SSM clients of aws-sdk-go-v2, returns model types only, and
// turns SDK errors into *model.Error values a person can act on.
//
// One Client reads one account. Org reaches the accounts of an organization
// (ListAccounts, then sts:AssumeRole into a role in each), ProfileTargets the
// accounts of named profiles, and ScanAccounts reads many accounts at once.
// CheckTarget and Deliver hand a new secret to Secrets Manager or Parameter
// Store and read it back (deliver*.go).
package awsclient
