// Package testenv keeps the AWS settings of the shell that runs the tests out
// of them. An administrator's shell exports AWS_PROFILE, AWS_REGION, keys and
// an endpoint; a test that builds an AWS config, or starts the binary, must
// see none of it, or it passes on one machine and fails on the next.
//
// Main isolates a whole test binary (call it from TestMain: most packages run
// their tests in parallel, and a parallel test cannot change the environment);
// AWS isolates a single test. Both do the same: every AWS_* variable is unset;
// AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE name empty files of a
// temporary directory; AWS_EC2_METADATA_DISABLED=true, so that no test asks an
// instance for credentials. A test that needs a variable sets it afterwards
// (t.Setenv), or hands the binary its own (exec.Cmd.Env, the last value wins).
package testenv

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Main isolates the environment, runs the tests and returns their exit code,
// for TestMain: os.Exit(testenv.Main(m)). The environment stays isolated
// until the process ends.
func Main(m *testing.M) int {
	dir, err := os.MkdirTemp("", "testenv-aws-")
	if err != nil {
		panic("testenv: " + err.Error())
	}
	defer os.RemoveAll(dir)
	if err := isolate(dir, os.Setenv, os.Unsetenv); err != nil {
		panic("testenv: " + err.Error())
	}
	return m.Run()
}

// AWS isolates the environment for the rest of t, which restores it when it
// ends (t.Setenv: not in a parallel test).
func AWS(t testing.TB) {
	t.Helper()
	setenv := func(k, v string) error { t.Setenv(k, v); return nil }
	unsetenv := func(k string) error {
		t.Setenv(k, "") // restored when t ends
		return os.Unsetenv(k)
	}
	if err := isolate(t.TempDir(), setenv, unsetenv); err != nil {
		t.Fatal(err)
	}
}

// Files are the shared config and credentials files that isolation names,
// so that a test can write a profile into them.
func Files() (config, credentials string) {
	return os.Getenv("AWS_CONFIG_FILE"), os.Getenv("AWS_SHARED_CREDENTIALS_FILE")
}

// isolate unsets every AWS_* variable, creates empty shared files in dir and
// names them, and turns off the instance metadata service.
func isolate(dir string, setenv func(k, v string) error, unsetenv func(k string) error) error {
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "AWS_") {
			if err := unsetenv(k); err != nil {
				return err
			}
		}
	}
	config, credentials := filepath.Join(dir, "config"), filepath.Join(dir, "credentials")
	for _, f := range []string{config, credentials} {
		if err := os.WriteFile(f, nil, 0o600); err != nil {
			return err
		}
	}
	for k, v := range map[string]string{
		"AWS_CONFIG_FILE":             config,
		"AWS_SHARED_CREDENTIALS_FILE": credentials,
		"AWS_EC2_METADATA_DISABLED":   "true",
	} {
		if err := setenv(k, v); err != nil {
			return err
		}
	}
	return nil
}
