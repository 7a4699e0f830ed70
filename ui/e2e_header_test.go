package ui

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestE2EHeaderFromAWSConfig: the profile (AWS_PROFILE), the region and the
// endpoint (the profile's region and endpoint_url in ~/.aws/config) are in the
// header from the first frame on, with no flag naming them; and a profile whose
// credential_process fails says what the process said.
func TestE2EHeaderFromAWSConfig(t *testing.T) {
	bin, url := e2e(t)
	if runtime.GOOS == "windows" {
		t.Skip("the credential_process script is sh")
	}
	dir := t.TempDir()
	proc := filepath.Join(dir, "login")
	if err := os.WriteFile(proc, []byte("#!/bin/sh\necho 'corp-login: session expired, run corp-login --renew' >&2\nexit 1\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	config := filepath.Join(dir, "config")
	text := "[profile local]\nregion = eu-west-1\nendpoint_url = " + url + "\n" +
		"aws_access_key_id = AKIDE2E\naws_secret_access_key = e2e\n" +
		"[profile broken]\nregion = eu-west-1\nendpoint_url = " + url + "\ncredential_process = " + proc + "\n"
	if err := os.WriteFile(config, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	env := func(profile string) []string {
		return []string{"HOME=" + dir, "AWS_CONFIG_FILE=" + config, "AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(dir, "none"),
			"AWS_PROFILE=" + profile, "AWS_EC2_METADATA_DISABLED=true", "AWS_ACCESS_KEY_ID=", "AWS_SECRET_ACCESS_KEY=", "AWS_REGION="}
	}

	tm := startTerm(t, env("local"), bin, "--max-age", "90d")
	s := tm.wait("20 users, 22 credentials, read", 20*time.Second)
	for _, want := range []string{"profile local", "region eu-west-1", "endpoint " + url} {
		if !containsLine(s, 0, want) {
			t.Errorf("the header lacks %q:\n%s", want, s)
		}
	}
	tm.keys("q")
	tm.waitExit(5 * time.Second)

	tm = startTerm(t, env("broken"), bin)
	tm.wait("corp-login: session expired, run corp-login --renew", 20*time.Second)
	if s := tm.screen(); !containsLine(s, 0, "profile broken") {
		t.Errorf("the header lacks the profile:\n%s", s)
	}
}

// containsLine reports whether line i of screen holds text.
func containsLine(screen string, i int, text string) bool {
	lines := strings.Split(screen, "\n")
	return i < len(lines) && strings.Contains(lines[i], text)
}
