package awsclient_test

import (
	"iamcreds/awsclient"
	"iamcreds/ui"
)

// The UI declares what it needs; the real client must keep satisfying it.
var _ ui.IAM = (*awsclient.Client)(nil)
