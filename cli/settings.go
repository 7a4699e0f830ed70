package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/BurntSushi/toml"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// The settings file holds defaults for the flags people repeat. Each key is
// the flag of that name and takes what the flag takes, checked by the flag's
// own parser; a flag on the command line beats the file. For example:
//
//	profile = "prod"
//	max-age = "180d"
//	clipboard-clear = "45s"
//	concurrency = 16
//	read-only = true
//	services = ["xray.amazonaws.com"]   # --extra-services

// settingKeys are the flags the file may set, in the order errors list them.
var settingKeys = []string{"profile", "region", "endpoint-url", "concurrency", "max-age", "clipboard-clear", "read-only", "services"}

// settingFlagNames are the keys whose flag has another name: services is a
// list of names, --extra-services adds to the catalog's.
var settingFlagNames = map[string]string{"services": extraServicesFlag}

// settingFlagName is the flag that key sets.
func settingFlagName(key string) string {
	if name, ok := settingFlagNames[key]; ok {
		return name
	}
	return key
}

// settingEnv are the AWS environment variables that do a setting's job: when
// one is set, the file's value yields to it, as the flag's default would
// (flags, then the environment, then the file). Otherwise a profile in the
// file would silently beat `AWS_PROFILE=dev iamcreds`.
var settingEnv = map[string][]string{
	"profile":      {"AWS_PROFILE", "AWS_DEFAULT_PROFILE"},
	"region":       {"AWS_REGION", "AWS_DEFAULT_REGION"},
	"endpoint-url": {"AWS_ENDPOINT_URL_IAM", "AWS_ENDPOINT_URL"},
}

// setByEnv reports whether the environment sets what key would.
func setByEnv(key string) bool {
	for _, name := range settingEnv[key] {
		if os.Getenv(name) != "" {
			return true
		}
	}
	return false
}

// configFlag is --config, on the commands the file applies to.
const configFlag = "config"

// bindConfigFlag adds --config FILE to fs.
func bindConfigFlag(fs *pflag.FlagSet) {
	fs.String(configFlag, "", "read settings from `FILE` instead of "+settingsPathHelp())
}

// defaultSettingsPath is $XDG_CONFIG_HOME/iamcreds/config.toml when that is an
// absolute path, on every system, else the same under os.UserConfigDir:
// ~/.config on Linux, ~/Library/Application Support on macOS, %AppData% on
// Windows. (On Linux, UserConfigDir refuses a relative XDG_CONFIG_HOME: then
// there is no default file, and --help says why.)
func defaultSettingsPath() (string, error) {
	dir := os.Getenv("XDG_CONFIG_HOME")
	if !filepath.IsAbs(dir) {
		var err error
		if dir, err = os.UserConfigDir(); err != nil {
			return "", err
		}
	}
	return filepath.Join(dir, "iamcreds", "config.toml"), nil
}

// settingsPathHelp names the default file for --help: where it is on this
// machine, or why there is none.
func settingsPathHelp() string {
	path, err := defaultSettingsPath()
	if err != nil {
		return "the default (none here: " + err.Error() + ")"
	}
	return path
}

// settingsHelp is the paragraph of `iamcreds --help` on the file.
func settingsHelp() string {
	names := make([]string, len(settingKeys))
	for i, k := range settingKeys {
		names[i] = settingFlagName(k)
	}
	flags := "--" + strings.Join(names[:len(names)-1], ", --") + " and --" + names[len(names)-1]
	return "Settings are read from\n  " + settingsPathHelp() + "\n" +
		wrapText("if it exists (--config FILE reads another): defaults for "+flags+
			". Flags on the command line win. The README describes the file.", 80)
}

// wrapText breaks s into lines of at most width columns, at spaces.
func wrapText(s string, width int) string {
	var b strings.Builder
	n := 0
	for _, w := range strings.Fields(s) {
		if n > 0 && n+1+len(w) > width {
			b.WriteByte('\n')
			n = 0
		} else if n > 0 {
			b.WriteByte(' ')
			n++
		}
		b.WriteString(w)
		n += len(w)
	}
	return b.String() + "\n"
}

// applySettings reads the settings file of cmd, if cmd takes --config, and
// sets each flag it names that the command line (or, for the AWS ones, the
// environment: settingEnv) left alone. A file that
// cannot be read, or holds a syntax error, an unknown key or a bad value, is a
// usage error (exit 2) naming the file and the line. A missing default file
// is no error; a missing --config FILE is.
func applySettings(cmd *cobra.Command) error {
	f := cmd.Flags().Lookup(configFlag)
	if f == nil {
		return nil
	}
	path, explicit := f.Value.String(), f.Changed
	if !explicit {
		var err error
		if path, err = defaultSettingsPath(); err != nil {
			return nil // no home or config directory: nothing to read
		}
	}
	values, err := readSettings(path)
	switch {
	case !explicit && errors.Is(err, fs.ErrNotExist):
		return nil
	case explicit && errors.Is(err, fs.ErrNotExist):
		return usageErrorf(cmd, "--config %s: no such file", path)
	case err != nil:
		return usageError(cmd, err)
	}
	for _, name := range settingKeys {
		v, ok := values[name]
		if g := cmd.Flags().Lookup(settingFlagName(name)); ok && g != nil && !g.Changed && !setByEnv(name) {
			if err := g.Value.Set(v); err != nil { // readSettings checked it with the same parser
				return usageError(cmd, err)
			}
			if g.Annotations == nil {
				g.Annotations = map[string][]string{}
			}
			g.Annotations[fromFileAnnotation] = []string{path}
		}
	}
	return nil
}

// fromFileAnnotation marks a flag whose value came from the settings file,
// with the file's path: a refusal then says where to change it.
const fromFileAnnotation = "iamcreds-settings-file"

// settingSource names where flag name's value came from, for a message:
// "--read-only" from the command line (or its default), or
// "read-only (from /home/me/.config/iamcreds/config.toml)" from the file.
func settingSource(cmd *cobra.Command, name string) string {
	if path := settingFile(cmd, name); path != "" {
		return name + " (from " + path + ")"
	}
	return "--" + name
}

// settingFile is the settings file flag name's value came from; "" when it
// came from the command line, the environment or the default.
func settingFile(cmd *cobra.Command, name string) string {
	if f := cmd.Flags().Lookup(name); f != nil {
		if path := f.Annotations[fromFileAnnotation]; len(path) == 1 {
			return path[0]
		}
	}
	return ""
}

// readSettings parses the file at path into flag values by key, each checked
// by its flag's parser, whichever command runs: a file that is wrong for one
// command is wrong for all.
func readSettings(path string) (map[string]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var raw map[string]toml.Primitive
	md, err := toml.Decode(string(data), &raw)
	if err != nil {
		return nil, settingsError(path, err)
	}
	flags := settingFlags()
	values := map[string]string{}
	for _, key := range md.Keys() {
		if len(key) != 1 {
			continue // inside a table, which is an unknown key itself
		}
		name := key[0]
		if name == deliverKey { // [[deliver]] tables: delivery rules
			if _, err := readDeliveryRules(path, string(data), md, raw[name]); err != nil {
				return nil, err
			}
			continue
		}
		v := &settingValue{name: name}
		if slices.Contains(settingKeys, name) {
			v.flag = flags.Lookup(settingFlagName(name))
		}
		// Decoding one key at a time puts its line in any error.
		if err := md.PrimitiveDecode(raw[name], v); err != nil {
			return nil, settingsError(path, err)
		}
		values[name] = v.text
	}
	return values, nil
}

// settingFlags are the flags the file's values are checked by: the terminal
// UI's, which has every key (audit has all but read-only and clipboard-clear).
func settingFlags() *pflag.FlagSet {
	return newTUICmd(nil).Flags()
}

// settingValue decodes one key's value: a TOML value of the flag's type, which
// the flag's parser then accepts.
type settingValue struct {
	name string
	flag *pflag.Flag // nil: not a setting
	text string      // the value as the command line would give it
}

func (v *settingValue) UnmarshalTOML(data any) error {
	if v.flag == nil {
		return fmt.Errorf("unknown setting %q (the settings are %s, and [[deliver]] tables)", v.name, strings.Join(settingKeys, ", "))
	}
	var ok bool
	switch x := data.(type) {
	case bool:
		v.text, ok = fmt.Sprint(x), v.flag.Value.Type() == "bool"
	case int64:
		v.text, ok = fmt.Sprint(x), v.flag.Value.Type() == "int"
	case string:
		v.text, ok = x, v.flag.Value.Type() != "bool" && v.flag.Value.Type() != "int" && v.flag.Value.Type() != "names"
	case []any: // a list of names, the flag's comma-separated value
		names := make([]string, len(x))
		ok = v.flag.Value.Type() == "names"
		for i, e := range x {
			s, isString := e.(string)
			ok = ok && isString && !strings.Contains(s, ",")
			names[i] = s
		}
		v.text = strings.Join(names, ",")
	}
	if !ok {
		return fmt.Errorf("%s = %s: want %s", v.name, tomlText(data), settingKind(v.flag))
	}
	if err := v.flag.Value.Set(v.text); err != nil {
		return fmt.Errorf("%s = %s: %w", v.name, tomlText(data), err)
	}
	return nil
}

// settingKind says what a key takes, for an error.
func settingKind(f *pflag.Flag) string {
	switch f.Value.Type() {
	case "bool":
		return "true or false"
	case "int":
		return "a whole number"
	case "names":
		return `a list of quoted names, such as ["xray.amazonaws.com"]`
	}
	return "a quoted string, such as " + settingExample(f.Name)
}

func settingExample(name string) string {
	switch name {
	case "max-age":
		return `"90d"`
	case "clipboard-clear":
		return `"30s"`
	case "endpoint-url":
		return `"http://127.0.0.1:4599"`
	case "region":
		return `"eu-west-1"`
	}
	return `"prod"`
}

// tomlText writes a decoded value back roughly as the file has it.
func tomlText(data any) string {
	switch x := data.(type) {
	case string:
		return fmt.Sprintf("%q", x)
	case map[string]any:
		return "a table"
	case []any, []map[string]any:
		return "a list"
	}
	return fmt.Sprint(data)
}

// settingsError is "FILE:LINE: what is wrong", from toml's ParseError, which
// carries the line of a syntax error and of the key a decode failed on.
func settingsError(path string, err error) error {
	var pe toml.ParseError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s:%d: %s", path, pe.Position.Line, pe.Message)
	}
	return fmt.Errorf("%s: %w", path, err)
}
