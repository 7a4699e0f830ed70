package testenv

import (
	"os"
	"strings"
	"testing"
)

// An admin's shell: AWS_ variables of every kind are gone during the test,
// the shared files are empty, and all is as it was afterwards.
func TestAWSIsolatesAndRestores(t *testing.T) {
	shell := map[string]string{"AWS_PROFILE": "prod", "AWS_REGION": "eu-west-3", "AWS_DEFAULT_REGION": "ap-south-1",
		"AWS_ACCESS_KEY_ID": "AKIAEXAMPLE", "AWS_SECRET_ACCESS_KEY": "x", "AWS_SESSION_TOKEN": "y",
		"AWS_ENDPOINT_URL": "https://example.invalid", "AWS_SOMETHING_NEW": "z", "AWS_CONFIG_FILE": "/nonexistent/config"}
	for k, v := range shell {
		t.Setenv(k, v)
	}
	t.Setenv("AWS_EC2_METADATA_DISABLED", "")
	os.Unsetenv("AWS_EC2_METADATA_DISABLED")
	t.Run("isolated", func(t *testing.T) {
		AWS(t)
		for _, kv := range os.Environ() {
			k, v, _ := strings.Cut(kv, "=")
			switch {
			case k == "AWS_EC2_METADATA_DISABLED" && v == "true":
			case k == "AWS_CONFIG_FILE" || k == "AWS_SHARED_CREDENTIALS_FILE":
				if b, err := os.ReadFile(v); err != nil || len(b) != 0 {
					t.Errorf("%s=%s: %v, %d bytes: want an empty file", k, v, err, len(b))
				}
			case strings.HasPrefix(k, "AWS_"):
				t.Errorf("%s is still set", kv)
			}
		}
		if _, ok := os.LookupEnv("AWS_PROFILE"); ok {
			t.Error("AWS_PROFILE is set (empty), not unset")
		}
	})
	for k, v := range shell {
		if got := os.Getenv(k); got != v {
			t.Errorf("after the test %s=%q, want %q", k, got, v)
		}
	}
	if _, ok := os.LookupEnv("AWS_EC2_METADATA_DISABLED"); ok {
		t.Error("AWS_EC2_METADATA_DISABLED outlived the test")
	}
}
