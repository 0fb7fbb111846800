package app

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"microshop/domain"
)

// etsyVariation is one of an Etsy listing's variations: its name and its
// values.
type etsyVariation struct {
	name   string
	values []string
}

// maxEtsyVariations is how many variations an Etsy listing has at most,
// and its listing file columns for.
const maxEtsyVariations = 2

// etsyVariations are the variations row i of an Etsy listing file gives:
// VARIATION n NAME (the seller's name for it, else its TYPE, Etsy's own
// property: Size, Primary color) and VARIATION n VALUES, comma separated.
func etsyVariations(t *csvTable, i int) []etsyVariation {
	var out []etsyVariation
	for n := 1; n <= maxEtsyVariations; n++ {
		name := cmp.Or(t.col(i, fmt.Sprintf("VARIATION %d NAME", n)), t.col(i, fmt.Sprintf("VARIATION %d TYPE", n)))
		var values []string
		for _, v := range strings.Split(t.col(i, fmt.Sprintf("VARIATION %d VALUES", n)), ",") {
			if v = strings.TrimSpace(v); v != "" {
				values = append(values, v)
			}
		}
		if len(values) > 0 {
			out = append(out, etsyVariation{name: name, values: values})
		}
	}
	return out
}

// listingCodes are the SKUs of row i, and the options of each in stored
// form. A Shopify row is one variant, with the options read already. An
// Etsy row is a whole listing: its SKU column lists its variants' SKUs,
// comma separated, and its variations their values, and the file never
// says which SKU is which variant. Etsy lists the SKUs in the order of
// its variants, the first variation's values outermost, so they are
// paired by place, but only when the counts say how: one SKU for each
// variant, or for each value of one variation when the SKU varies with
// that one alone. Otherwise unnamed is true and the SKUs get no options,
// rather than a guess that would print the wrong size on a label.
func listingCodes(t *csvTable, i int, format, options string, bad *[]string) (codes, codeOptions []string, unnamed bool) {
	for _, code := range strings.Split(t.col(i, listingColumnsOf(t, format).sku), ",") {
		codes = append(codes, strings.TrimSpace(code))
	}
	codeOptions = make([]string, len(codes))
	if format != FormatEtsyListings {
		for j := range codes {
			codeOptions[j] = options
		}
		return codes, codeOptions, false
	}
	vars := etsyVariations(t, i)
	if len(vars) == 0 || len(codes) == 1 {
		return codes, codeOptions, false // one SKU for every variant: none of them is the SKU's own
	}
	each, ok := etsyVariants(vars, len(codes))
	if !ok {
		return codes, codeOptions, true
	}
	for j, opts := range sharedByCode(codes, each) {
		if err := domain.ValidateVariantOptions(opts); err != nil {
			*bad = append(*bad, domain.ErrorMessage(err))
			return codes, make([]string, len(codes)), false
		}
		codeOptions[j] = domain.EncodeVariantOptions(opts)
	}
	return codes, codeOptions, false
}

// etsyVariants are the options of each of n SKUs listed in the order of
// a listing's variants: every variant, or the values of the one variation
// the SKU varies with; ok is false when n fits neither, or a variation
// has no name.
func etsyVariants(vars []etsyVariation, n int) (each [][]domain.VariantOption, ok bool) {
	for _, v := range vars {
		if v.name == "" {
			return nil, false
		}
	}
	all := variantsOf(vars)
	switch {
	case len(all) == n:
		return all, true
	case len(vars) == 2 && len(vars[0].values) == n && len(vars[1].values) != n:
		return variantsOf(vars[:1]), true
	case len(vars) == 2 && len(vars[1].values) == n && len(vars[0].values) != n:
		return variantsOf(vars[1:]), true
	}
	return nil, false
}

// variantsOf are every combination of the variations' values, the first
// variation's outermost, as Etsy orders a listing's variants.
func variantsOf(vars []etsyVariation) [][]domain.VariantOption {
	out := [][]domain.VariantOption{nil}
	for _, v := range vars {
		var next [][]domain.VariantOption
		for _, prefix := range out {
			for _, value := range v.values {
				next = append(next, append(slices.Clone(prefix), domain.VariantOption{Name: v.name, Value: value}))
			}
		}
		out = next
	}
	return out
}

// sharedByCode gives each SKU the options of every place it is listed in
// that they all share: a SKU listed for Small Red and Small Blue is Small.
func sharedByCode(codes []string, each [][]domain.VariantOption) [][]domain.VariantOption {
	shared := map[string][]domain.VariantOption{}
	for j, code := range codes {
		key := strings.ToUpper(code)
		have, seen := shared[key]
		if !seen {
			shared[key] = each[j]
			continue
		}
		shared[key] = slices.DeleteFunc(slices.Clone(have), func(o domain.VariantOption) bool { return !slices.Contains(each[j], o) })
	}
	out := make([][]domain.VariantOption, len(codes))
	for j, code := range codes {
		out[j] = shared[strings.ToUpper(code)]
	}
	return out
}

// unnamedListings are the listings, by title and line, whose SKUs were
// read without their variants, each once.
func unnamedListings(rows []listingRow) []string {
	var out []string
	for _, r := range rows {
		if l := fmt.Sprintf("%s (line %d)", r.name, r.line); r.unnamed && !slices.Contains(out, l) {
			out = append(out, l)
		}
	}
	return out
}
