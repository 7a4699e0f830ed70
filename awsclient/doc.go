// Package awsclient is the only package that talks to AWS. It wraps the IAM and
// STS clients of aws-sdk-go-v2, returns model types only, and turns SDK errors into
// *model.Error values a person can act on.
package awsclient
