package domain

import (
	"strconv"
	"strings"
)

// Money is an exact amount in the shop currency, in minor units (cents).
type Money int64

// maxMoney keeps sums of many amounts far from int64 overflow.
const maxMoney = Money(1e15)

// ParseMoney reads a non-negative decimal amount such as "24", "24.5" or
// "24.00". More than two decimal places, signs, exponents and separators are
// refused rather than rounded, so what is stored is exactly what was typed.
func ParseMoney(s string) (Money, error) {
	bad := Errorf(EInvalid, "%q is not an amount of money; use a number like 24.00 with at most two decimals", s)
	whole, frac, hasDot := strings.Cut(strings.TrimSpace(s), ".")
	if whole == "" && frac == "" || hasDot && frac == "" || len(frac) > 2 {
		return 0, bad
	}
	if whole == "" {
		whole = "0"
	}
	for _, part := range []string{whole, frac} {
		for _, r := range part {
			if r < '0' || r > '9' {
				return 0, bad
			}
		}
	}
	if len(whole) > 13 {
		return 0, Errorf(EInvalid, "%q is too large an amount; amounts are accepted up to 9999999999999.99", s)
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return 0, bad
	}
	for len(frac) < 2 {
		frac += "0"
	}
	f, _ := strconv.ParseInt(frac, 10, 64)
	m := Money(w*100 + f)
	if m > maxMoney {
		return 0, Errorf(EInvalid, "%q is too large an amount; amounts are accepted up to 9999999999999.99", s)
	}
	return m, nil
}

// String formats the amount with two decimals: 2400 is "24.00".
func (m Money) String() string {
	sign := ""
	if m < 0 {
		sign, m = "-", -m
	}
	return sign + strconv.FormatInt(int64(m/100), 10) + "." + pad2(int64(m%100))
}

func pad2(n int64) string {
	if n < 10 {
		return "0" + strconv.FormatInt(n, 10)
	}
	return strconv.FormatInt(n, 10)
}

// wholeCurrencies are the ISO 4217 currencies with no minor unit (exponent
// 0): an amount in them is a whole number.
var wholeCurrencies = map[string]bool{
	"BIF": true, "CLP": true, "DJF": true, "GNF": true, "ISK": true, "JPY": true, "KMF": true, "KRW": true,
	"PYG": true, "RWF": true, "UGX": true, "UYI": true, "VND": true, "VUV": true, "XAF": true, "XOF": true, "XPF": true,
}

// MinorDigits is how many decimals an amount in the currency may have: 0
// for the yen, the won and the other currencies with no minor unit, 2 for
// the rest (amounts are stored in hundredths whatever the currency).
func MinorDigits(currency string) int {
	if wholeCurrencies[currency] {
		return 0
	}
	return 2
}

// CheckCurrency refuses an amount the currency cannot have: a fraction of a
// yen, say.
func (m Money) CheckCurrency(currency string) error {
	if MinorDigits(currency) == 0 && m%100 != 0 {
		whole := m / 100 * 100
		return Errorf(EInvalid, "%s is not an amount in %s, which has no minor unit; use a whole number like %s", m, currency,
			strings.TrimSuffix(whole.String(), ".00"))
	}
	return nil
}

// ValidateMoney checks a price, a cost or an amount: from 0.00 to
// 9999999999999.99.
func ValidateMoney(what string, m Money) error {
	if m < 0 || m > maxMoney {
		return Errorf(EInvalid, "%s is not a valid %s; use an amount from 0.00 to 9999999999999.99", m, what)
	}
	return nil
}

// ValidateCurrency checks an ISO 4217 currency code: three capital letters.
func ValidateCurrency(c string) error {
	if len(c) != 3 || strings.IndexFunc(c, func(r rune) bool { return r < 'A' || r > 'Z' }) >= 0 {
		return Errorf(EInvalid, "%s is not a currency code; use three capital letters like EUR, USD or GBP", QuoteShort(c))
	}
	return nil
}
