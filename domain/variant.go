package domain

import (
	"encoding/json"
	"strings"
)

// VariantOption is one of a channel variant's options, as Shopify names
// them: Size M, Colour Blue; a product without variants has the one option
// Title, Default Title.
type VariantOption struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// MaxVariantOptions is how many options a Shopify variant has at most.
const MaxVariantOptions = 3

// maxOptionRunes bounds an option's name and value: Shopify allows 255.
const maxOptionRunes = 255

// ValidateVariantOptions checks a variant's options: at most three, each
// with a name and a value of one line of text.
func ValidateVariantOptions(opts []VariantOption) error {
	if len(opts) > MaxVariantOptions {
		return Errorf(EInvalid, "a variant has %d options; a channel variant has at most %d", len(opts), MaxVariantOptions)
	}
	for _, o := range opts {
		if o.Name == "" || o.Value == "" {
			return Errorf(EInvalid, "the variant option %s: %s lacks a name or a value", QuoteShort(o.Name), QuoteShort(o.Value))
		}
		if err := ValidateText("option name", o.Name, maxOptionRunes); err != nil {
			return err
		}
		if err := ValidateText("option value", o.Value, maxOptionRunes); err != nil {
			return err
		}
	}
	return nil
}

// DecodeVariantOptions reads a variant's stored options; "" is none.
func DecodeVariantOptions(s string) ([]VariantOption, error) {
	if s == "" {
		return nil, nil
	}
	var opts []VariantOption
	if err := json.Unmarshal([]byte(s), &opts); err != nil {
		return nil, Errorf(EInvalid, "the variant's options are not a list of options")
	}
	return opts, ValidateVariantOptions(opts)
}

// EncodeVariantOptions is the stored form of a variant's options.
func EncodeVariantOptions(opts []VariantOption) string {
	if len(opts) == 0 {
		return ""
	}
	b, _ := json.Marshal(opts)
	return string(b)
}

// VariantText is a variant's option values as a maker reads them, "M /
// Blue"; "" for a product without variants (Shopify's one option Title,
// Default Title).
func VariantText(opts []VariantOption) string {
	if len(opts) == 1 && opts[0].Name == "Title" && opts[0].Value == "Default Title" {
		return ""
	}
	values := make([]string, len(opts))
	for i, o := range opts {
		values[i] = o.Value
	}
	return strings.Join(values, " / ")
}
