package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"regexp"
	"slices"
	"strings"

	"github.com/BurntSushi/toml"
	"github.com/spf13/cobra"

	"iamcreds/internal/deliver"
	"iamcreds/model"
)

// The settings file's [[deliver]] tables are delivery rules: a user's
// credential of a service goes to a target when it is created, reset or
// rotated, unless --deliver names another. For example:
//
//	[[deliver]]
//	user = "ci-bot"
//	service = "git"            # or an IAM service name; "*" for any
//	to = "secretsmanager:ci/git"
//
// Every key is required; "*" for user or service matches any. The first rule
// about a credential, in the file's order, is the one used.

// deliverKey is the settings file's key for the rules.
const deliverKey = "deliver"

var deliverRuleKeys = []string{"user", "service", "to"}

// deliverHeader finds a [[deliver]] table's header line.
var deliverHeader = regexp.MustCompile(`^\s*\[\[\s*"?deliver"?\s*\]\]`)

// readDeliveryRules decodes the file's [[deliver]] tables, each checked: a
// wrong one is "FILE:LINE: what is wrong", LINE the key's, or the table's.
func readDeliveryRules(path, data string, md toml.MetaData, raw toml.Primitive) ([]model.DeliveryRule, error) {
	var tables []map[string]toml.Primitive
	if err := md.PrimitiveDecode(raw, &tables); err != nil {
		return nil, settingsError(path, fmt.Errorf("%s: want [[deliver]] tables with user, service and to", deliverKey))
	}
	headers := deliverHeaderLines(data)
	rules := make([]model.DeliveryRule, 0, len(tables))
	for i, tbl := range tables {
		line := 0
		if i < len(headers) {
			line = headers[i]
		}
		at := func(key string) string { return fmt.Sprintf("%s:%d", path, keyLine(data, line, key)) }
		values := map[string]string{}
		for key, prim := range tbl {
			if !slices.Contains(deliverRuleKeys, key) {
				return nil, fmt.Errorf("%s: [[deliver]]: unknown key %q (the keys are user, service and to)", at(key), key)
			}
			var s string
			if err := md.PrimitiveDecode(prim, &s); err != nil {
				return nil, fmt.Errorf("%s: [[deliver]] %s: want a quoted string", at(key), key)
			}
			values[key] = s
		}
		for _, key := range deliverRuleKeys {
			if _, ok := values[key]; !ok {
				return nil, fmt.Errorf("%s:%d: [[deliver]] needs %s (user, service and to; \"*\" matches any user or service)", path, line, key)
			}
		}
		r := model.DeliveryRule{User: values["user"], Service: values["service"], To: values["to"]}
		if err := checkDeliveryRule(r); err != nil {
			key := "to"
			switch {
			case r.User != "*" && model.ValidateUserName(r.User) != nil:
				key = "user"
			case r.Service != "*" && !validService(r.Service):
				key = "service"
			}
			return nil, fmt.Errorf("%s: [[deliver]] %s: %s", at(key), key, model.SafeText(err.Error()))
		}
		rules = append(rules, r)
	}
	return rules, nil
}

// checkDeliveryRule checks a rule as model does, and an exec target's command
// line as it will be split (not whether the command exists: that is checked
// when it is used, on the machine that uses it).
func checkDeliveryRule(r model.DeliveryRule) error {
	if err := r.Validate(); err != nil {
		return err
	}
	t, _ := model.ParseTarget(r.To)
	if t.Kind == model.TargetExec {
		_, err := deliver.SplitCommand(t)
		return err
	}
	return nil
}

func validService(s string) bool { _, ok := model.ResolveService(s); return ok }

// deliverHeaderLines are the lines (1-based) of the [[deliver]] headers, in order.
func deliverHeaderLines(data string) []int {
	var out []int
	for i, line := range strings.Split(data, "\n") {
		if deliverHeader.MatchString(line) {
			out = append(out, i+1)
		}
	}
	return out
}

// keyLine is the line of key in the table whose header is at line from: the
// first "key =" after it, before the next table; from itself if none.
func keyLine(data string, from int, key string) int {
	lines := strings.Split(data, "\n")
	re := regexp.MustCompile(`^\s*"?` + regexp.QuoteMeta(key) + `"?\s*=`)
	for i := from; i < len(lines); i++ { // lines[from] is the line after the header
		if strings.HasPrefix(strings.TrimSpace(lines[i]), "[") {
			break
		}
		if re.MatchString(lines[i]) {
			return i + 1
		}
	}
	return from
}

// deliveryRules are the [[deliver]] rules of cmd's settings file (--config,
// or the default file if it exists); applySettings has checked them already.
func deliveryRules(cmd *cobra.Command) ([]model.DeliveryRule, string, error) {
	path := ""
	if f := cmd.Flags().Lookup(configFlag); f != nil && f.Changed {
		path = f.Value.String()
	} else if p, err := defaultSettingsPath(); err == nil {
		path = p
	}
	if path == "" {
		return nil, "", nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, "", nil
		}
		return nil, "", err
	}
	var raw map[string]toml.Primitive
	md, err := toml.Decode(string(data), &raw)
	if err != nil {
		return nil, "", settingsError(path, err)
	}
	prim, ok := raw[deliverKey]
	if !ok {
		return nil, path, nil
	}
	rules, err := readDeliveryRules(path, string(data), md, prim)
	return rules, path, err
}
