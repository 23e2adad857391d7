package pfif

import (
	"sort"
	"strings"
)

// PFIF has no place for some of what Peyvand records (a status such as
// detained, a verification level, a date known only to the month). Peyvand
// writes these as the first line of a note's text, "[peyvand key=value
// ...]", which a person reading the note understands and Peyvand's import
// reads back. Values hold no spaces.
const extensionPrefix = "[peyvand "

// WithExtension returns text with an extension line of kv before it; text
// unchanged when kv is empty.
func WithExtension(kv map[string]string, text string) string {
	if len(kv) == 0 {
		return text
	}
	keys := make([]string, 0, len(kv))
	for k := range kv {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + strings.ReplaceAll(kv[k], " ", "_")
	}
	line := extensionPrefix + strings.Join(parts, " ") + "]"
	if text == "" {
		return line
	}
	return line + "\n" + text
}

// SplitExtension reads an extension line at the start of text and returns
// its values and the rest of the text. Text without one comes back whole.
func SplitExtension(text string) (kv map[string]string, rest string) {
	if !strings.HasPrefix(text, extensionPrefix) {
		return nil, text
	}
	line, rest, _ := strings.Cut(text, "\n")
	if !strings.HasSuffix(line, "]") {
		return nil, text
	}
	kv = map[string]string{}
	for _, f := range strings.Fields(strings.TrimSuffix(strings.TrimPrefix(line, extensionPrefix), "]")) {
		k, v, ok := strings.Cut(f, "=")
		if !ok {
			return nil, text
		}
		kv[k] = v
	}
	return kv, rest
}
