// Command iamcreds is a terminal UI for AWS IAM service-specific credentials:
// CodeCommit Git credentials, Amazon Keyspaces credentials, and the long-term API
// keys of Amazon Bedrock, CloudWatch and Claude Platform on AWS. The command line
// lives in package cli; main hands it the arguments and exits with its code.
package main

import (
	"os"

	"iamcreds/cli"
)

func main() { os.Exit(cli.Main(os.Args[1:], os.Stdout, os.Stderr)) }
