package awsclient

import (
	"os"
	"testing"

	"iamcreds/internal/testenv"
)

// TestMain keeps the shell's AWS_* variables (an admin's AWS_PROFILE,
// AWS_REGION, keys) out of every test of the package.
func TestMain(m *testing.M) { os.Exit(testenv.Main(m)) }
