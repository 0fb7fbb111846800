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
	return parseDecimal(s, strings.TrimSpace(s), "24.00")
}

// parseDecimal reads t, an amount with a point as its decimal separator;
// errors quote s, what was typed, and show like as an example.
func parseDecimal(s, t, like string) (Money, error) {
	whole, frac, hasDot := strings.Cut(t, ".")
	bad := func() error { return notAnAmount(s, t, like) }
	if whole == "" && frac == "" || hasDot && frac == "" || len(frac) > 2 {
		return 0, bad()
	}
	if whole == "" {
		whole = "0"
	}
	if !digitsOnly(whole) || frac != "" && !digitsOnly(frac) {
		return 0, bad()
	}
	if len(whole) > 13 {
		return 0, Errorf(EInvalid, "%q is too large an amount; amounts are accepted up to 9999999999999.99", s)
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return 0, bad()
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

// notAnAmount refuses t, typed as s, saying why: below zero, or not a
// number with at most two decimals; a whole number, where the example
// like has no decimals (a currency with no minor unit).
func notAnAmount(s, t, like string) error {
	if strings.HasPrefix(t, "-") && len(t) > 1 {
		return Errorf(EInvalid, "%q is below zero; amounts of money are 0 or more, like %s", s, like)
	}
	if !strings.ContainsAny(like, ".,") {
		return Errorf(EInvalid, "%q is not an amount of money; use a whole number like %s", s, like)
	}
	return Errorf(EInvalid, "%q is not an amount of money; use a number like %s with at most two decimals", s, like)
}

// commaCurrencies are the currencies whose amounts are written with a
// decimal comma (9,50) where they are spent. The separator really follows
// the writer's language, not the currency, but the shop's currency is the
// best guide the app has: the euro and most other currencies of Europe and
// South America are written with a comma at home; the dollar, the pound,
// the Swiss franc (9.50 in Switzerland), the yen and most of Asia's with a
// point, and there a comma only ever separates thousands.
var commaCurrencies = map[string]bool{
	"EUR": true, "DKK": true, "SEK": true, "NOK": true, "ISK": true, "PLN": true, "CZK": true, "HUF": true,
	"RON": true, "BGN": true, "RSD": true, "BAM": true, "MKD": true, "ALL": true, "TRY": true, "UAH": true,
	"BRL": true, "ARS": true, "CLP": true, "COP": true, "UYU": true,
}

// DecimalComma reports whether amounts in the currency are written with a
// decimal comma, as in 9,50.
func DecimalComma(currency string) bool { return commaCurrencies[currency] }

// ParseMoneyIn reads an amount as a person in a shop with the given
// currency types it: "9.50" anywhere, and "9,50" where the currency is
// written with a decimal comma (DecimalComma). A currency of "" takes both,
// for reading input before the shop's currency is known; read it again
// once it is. Thousands separators are refused, never guessed: "1,000" or
// "1.000" could be a thousand or one with three decimals, and
// "1.000,00" is refused for its thousands point. In a currency with no
// minor unit only whole amounts are taken: "1555.5" in yen is refused,
// quoted as typed.
func ParseMoneyIn(s, currency string) (Money, error) {
	t := strings.TrimSpace(s)
	comma := currency == "" || DecimalComma(currency)
	like := Money(2400).Example(currency)
	if comma && currency != "" && MinorDigits(currency) > 0 {
		like = "24,00 or 24.00"
	}
	seps := strings.Count(t, ",") + strings.Count(t, ".")
	if seps > 1 && strings.Contains(t, ",") {
		return 0, Errorf(EInvalid, "%q is not an amount of money: thousands separators are not accepted; type it without them, like %s", s, like)
	}
	typedComma := strings.Contains(t, ",")
	whole, frac, hasSep := strings.Cut(strings.ReplaceAll(t, ",", "."), ".")
	// 1,000 and 1.000 look like a thousand; 0,125 does not.
	thousands := hasSep && len(frac) == 3 && digitsOnly(frac) && digitsOnly(whole) && len(whole) <= 3 && whole[0] != '0'
	if thousands {
		switch {
		case comma:
			return 0, Errorf(EInvalid, "%q is ambiguous: it could mean %s%s, or %s with three decimals; thousands separators are not accepted and amounts have at most two decimals, so type %s%s if you mean that",
				s, whole, frac, whole, whole, frac)
		case typedComma:
			return 0, Errorf(EInvalid, "%q is not an amount of money: thousands separators are not accepted; type %s%s", s, whole, frac)
		}
	}
	dotted := strings.ReplaceAll(t, ",", ".")
	m, err := parseDecimal(s, dotted, like)
	if err == nil && m%smallestUnit(currency) != 0 {
		// Refused as it is read: taken here, it was refused only when
		// saved, after every other field's problems, as "1555.50".
		return 0, notWhole(strconv.Quote(s), m, currency)
	}
	if err == nil && typedComma && !comma {
		return 0, Errorf(EInvalid, "%q is not an amount in %s, which is written with a decimal point; type %s", s, currency, dotted)
	}
	return m, err
}

// digitsOnly reports whether s is one or more ASCII digits.
func digitsOnly(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// ParseCurrency reads a currency code: three letters, ISO 4217, in either
// case ("eur" is EUR). A refusal quotes what was typed.
func ParseCurrency(s string) (string, error) {
	t := strings.TrimSpace(s)
	code := strings.ToUpper(t)
	if len(code) == 3 && strings.IndexFunc(code, func(r rune) bool { return r < 'A' || r > 'Z' }) < 0 {
		// A shop's currency is for good: a typo let through at its start
		// (EUE) stayed its currency.
		if !isoCurrencies[code] {
			return "", Errorf(EInvalid, "%q is no currency's code in ISO 4217; check the spelling, like EUR, USD or GBP", s)
		}
		return code, nil
	}
	if c, ok := currencyNames[strings.ToLower(t)]; ok {
		return "", Errorf(EInvalid, "%q is not a currency code; use its three-letter code %s (codes are ISO 4217, like EUR, USD or GBP)", s, c)
	}
	return "", Errorf(EInvalid, "%q is not a currency code; use three letters like EUR, USD or GBP", s)
}

// isoCurrencies are the ISO 4217 codes a shop may be started in: those in
// use, and those withdrawn in recent years (HRK, SLL), which an older shop
// or a habit may still name. Changes received by sync are checked for
// the form only (ValidateCurrency), so a code added here later never
// quarantines a shop's record.
var isoCurrencies = func() map[string]bool {
	m := map[string]bool{}
	for _, c := range strings.Fields(isoCurrencyCodes) {
		m[c] = true
	}
	return m
}()

const isoCurrencyCodes = "" +
	"AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BOV " +
	"BRL BSD BTN BWP BYN BZD CAD CDF CHE CHF CHW CLF CLP CNY COP COU CRC CUC CUP CVE " +
	"CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD " +
	"HNL HRK HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD " +
	"KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRO MRU MUR MVR MWK " +
	"MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON " +
	"RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP STD STN SVC SYP SZL " +
	"THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD USN UYI UYU UYW UZS VED VEF VES " +
	"VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG ZWL "

// currencyNames are names people type for a currency, to point them at
// its code.
var currencyNames = map[string]string{
	"euro": "EUR", "euros": "EUR", "€": "EUR", "dollar": "USD", "dollars": "USD", "$": "USD",
	"pound": "GBP", "pounds": "GBP", "£": "GBP", "yen": "JPY", "¥": "JPY",
}

// String formats the amount with two decimals: 2400 is "24.00".
func (m Money) String() string {
	sign := ""
	if m < 0 {
		sign, m = "-", -m
	}
	return sign + strconv.FormatInt(int64(m/100), 10) + "." + pad2(int64(m%100))
}

// Format writes the amount as people read it in the currency: with the
// currency's own number of decimals (MinorDigits) and a decimal point, so
// 150000 is "1500" in yen and 2400 is "24.00" in euros. In a currency with
// no minor unit, an amount with hundredths (an average per unit) is rounded
// to the nearest whole unit, halves away from zero. String is the form for
// files and JSON, two decimals whatever the currency.
func (m Money) Format(currency string) string {
	if MinorDigits(currency) == 2 {
		return m.String()
	}
	sign := ""
	if m < 0 {
		sign, m = "-", -m
	}
	whole := (m + 50) / 100
	if whole == 0 {
		sign = "" // -0.40 yen is none, not "-0"
	}
	return sign + strconv.FormatInt(int64(whole), 10)
}

// Example writes the amount as an example of what to type in the
// currency, as in "a price like 24.00": in a currency with no minor unit
// it is a hundred times as many units, so 24.00 reads as 2400 there, a
// price a person would type, not 24.
func (m Money) Example(currency string) string {
	if MinorDigits(currency) == 0 {
		return (m * 100).Format(currency)
	}
	return m.Format(currency)
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

// smallestUnit is the currency's smallest amount in hundredths: a cent,
// or a whole yen.
func smallestUnit(currency string) Money {
	if MinorDigits(currency) == 0 {
		return 100
	}
	return 1
}

// CheckCurrency refuses an amount the currency cannot have: a fraction of a
// yen, say.
func (m Money) CheckCurrency(currency string) error {
	if m%smallestUnit(currency) != 0 {
		return notWhole(m.String(), m, currency)
	}
	return nil
}

// wholeUnitNames name the unit of some currencies with no minor unit, to
// say in words what is accepted: whole yen.
var wholeUnitNames = map[string]string{"JPY": "yen", "KRW": "won", "VND": "dong"}

// notWhole refuses m, shown as shown, for its fraction of the smallest
// unit of a currency that has no minor unit, suggesting the whole part.
func notWhole(shown string, m Money, currency string) error {
	unit := "amounts"
	if name, ok := wholeUnitNames[currency]; ok {
		unit = name
	}
	return Errorf(EInvalid, "%s is not an amount in %s, which has no minor unit: only whole %s are accepted, like %s",
		shown, currency, unit, (m / 100 * 100).Format(currency))
}

// ValidateMoney checks a price, a cost or an amount: from 0.00 to
// 9999999999999.99.
func ValidateMoney(what string, m Money) error {
	if m < 0 || m > maxMoney {
		return Errorf(EInvalid, "%s is not a valid %s; use an amount from 0.00 to 9999999999999.99", m, what)
	}
	return nil
}

// LineTotal is qty units at price each. A total above the largest amount
// a shop records is refused: it would overflow the day's sums.
func LineTotal(price Money, qty int) (Money, error) {
	if qty > 0 && price > maxMoney/Money(qty) {
		return 0, Errorf(EInvalid, "%d × %s comes to more than 9999999999999.99, the largest amount a shop records; check the quantity and the price", qty, price)
	}
	return price * Money(qty), nil
}

// AddMoney is a + b, and false when the sum is beyond what a Money holds:
// each line is bounded (LineTotal), but thousands of lines at the largest
// price, from a hostile or mistyped file, add up past it.
func AddMoney(a, b Money) (Money, bool) {
	sum := a + b
	if (b > 0 && sum < a) || (b < 0 && sum > a) {
		return 0, false
	}
	return sum, true
}

// ValidateCurrency checks an ISO 4217 currency code: three capital letters.
func ValidateCurrency(c string) error {
	if len(c) != 3 || strings.IndexFunc(c, func(r rune) bool { return r < 'A' || r > 'Z' }) >= 0 {
		return Errorf(EInvalid, "%s is not a currency code; use three capital letters like EUR, USD or GBP", QuoteShort(c))
	}
	return nil
}
