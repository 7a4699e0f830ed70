package awsclient

import (
	"context"
	"errors"
	"strings"
	"testing"

	"iamcreds/awsclient/localiam"
	"iamcreds/model"
)

// The client's read-only refusal names the settings file read-only came from.
func TestReadOnlyRefusalNamesTheSettingsFile(t *testing.T) {
	ctx := context.Background()
	for from, want := range map[string]string{
		"":                 "(start without --read-only to make changes)",
		"/etc/config.toml": "(read-only = true in /etc/config.toml: start with --read-only=false to make changes)",
	} {
		c, _ := newTestClient(t, localiam.Config{}, func(cfg *Config) { cfg.ReadOnly, cfg.ReadOnlyFrom = true, from })
		_, _, err := c.CreateCredential(ctx, "bob", model.CodeCommit, 0)
		if !errors.Is(err, model.ErrReadOnly) || !strings.HasSuffix(err.Error(), want) {
			t.Errorf("from %q: %v", from, err)
		}
	}
}
