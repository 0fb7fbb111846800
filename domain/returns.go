package domain

import (
	"strconv"
	"strings"
)

// ReturnReason is why a buyer sent something back.
type ReturnReason string

// ReturnClass groups reasons by who must act: the factory, the packer or nobody.
type ReturnClass string

const (
	ClassQuality   ReturnClass = "quality"
	ClassLogistics ReturnClass = "logistics"
	ClassBuyer     ReturnClass = "buyer"
)

var reasonClasses = []struct {
	reason ReturnReason
	class  ReturnClass
}{
	{"defect", ClassQuality},
	{"broke", ClassQuality},
	{"not-as-described", ClassQuality},
	{"damaged-in-transit", ClassLogistics},
	{"packaging", ClassLogistics},
	{"lost", ClassLogistics},
	{"changed-mind", ClassBuyer},
	{"wrong-size", ClassBuyer},
	{"other", ClassBuyer},
}

// ReturnReasons lists every accepted reason.
func ReturnReasons() []ReturnReason {
	rs := make([]ReturnReason, len(reasonClasses))
	for i, rc := range reasonClasses {
		rs[i] = rc.reason
	}
	return rs
}

// ParseReturnReason accepts one of the listed reasons.
func ParseReturnReason(s string) (ReturnReason, error) {
	for _, rc := range reasonClasses {
		if string(rc.reason) == s {
			return rc.reason, nil
		}
	}
	return "", Errorf(EInvalid, "%q is not a return reason; use one of %s", s, joinStrings(ReturnReasons()))
}

// ReadReturnReason reads a reason as a person types it: in any case,
// words apart by spaces or underscores ("Not as described" is
// not-as-described), as this README and the desktop write them. Stored
// and synced reasons go through ParseReturnReason, which takes only the
// names themselves.
func ReadReturnReason(s string) (ReturnReason, error) {
	words := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return r == ' ' || r == '_' || r == '-' || r == '\t' })
	if r, err := ParseReturnReason(strings.Join(words, "-")); err == nil {
		return r, nil
	}
	return ParseReturnReason(s) // refused, naming what was typed
}

// Class is the reason's class.
func (r ReturnReason) Class() ReturnClass {
	for _, rc := range reasonClasses {
		if rc.reason == r {
			return rc.class
		}
	}
	return ClassBuyer
}

// The quality pause rule: quality returns above 3 % of the units sold from a
// factory in the trailing 90 days, once at least 30 were sold.
const (
	ReturnWindowDays      = 90
	ReturnLimitPercent    = 3
	MinSoldForQualityRule = 30
)

// QualityPause reports whether a factory's quality returns pause it.
func QualityPause(sold, qualityReturns int) bool {
	return sold >= MinSoldForQualityRule && qualityReturns*100 > ReturnLimitPercent*sold
}

// QualityPauseWait says, in a maker's words, why quality returns past the
// limit pause nothing yet: fewer units sold than the rule's minimum; ""
// when they are not past it, or the rule can judge.
func QualityPauseWait(sold, qualityReturns int) string {
	if sold <= 0 || sold >= MinSoldForQualityRule || qualityReturns*100 <= ReturnLimitPercent*sold {
		return ""
	}
	return "past " + strconv.Itoa(ReturnLimitPercent) + " %, but only " + strconv.Itoa(sold) + " of the " +
		strconv.Itoa(MinSoldForQualityRule) + " units sold that the pause waits for"
}

// PackagingAdvice reports whether a SKU's logistics returns call for better
// packaging: above 3 % of units sold, with no minimum sample.
func PackagingAdvice(sold, logisticsReturns int) bool {
	return logisticsReturns > 0 && logisticsReturns*100 > ReturnLimitPercent*sold
}

// ReturnRate is returns as a fraction of units sold; 0 when nothing sold.
func ReturnRate(sold, returns int) float64 {
	if sold <= 0 {
		return 0
	}
	return float64(returns) / float64(sold)
}

// ReturnPercent writes a return rate as a percentage, "3.3 %": to one
// decimal, or to as many as tell it from the limit, so 3.01 % is not
// "3.0 %" beside a limit of 3 %. Returns of nothing sold (counted afresh
// from a lifted pause, before the next sale) have no rate: "0.0 %" read as
// no problem.
func ReturnPercent(sold, returns int) string {
	if sold <= 0 && returns > 0 {
		return NoReturnRate
	}
	return ReturnPercentTo(sold, returns, ReturnDecimals(sold, returns))
}

// NoReturnRate stands for the rate of returns when nothing was sold.
const NoReturnRate = "no rate until units sell"

// ReturnDecimals is how many decimals ReturnPercent writes a return rate
// with: one, or as many (up to four) as tell it from the limit.
func ReturnDecimals(sold, returns int) int {
	p := 100 * ReturnRate(sold, returns)
	decimals := 1
	for decimals < 4 && p != ReturnLimitPercent &&
		strconv.FormatFloat(p, 'f', decimals, 64) == strconv.FormatFloat(ReturnLimitPercent, 'f', decimals, 64) {
		decimals++
	}
	return decimals
}

// ReturnPercentTo writes a return rate as a percentage to decimals, "3.30 %":
// for a list whose rates all show with the same.
func ReturnPercentTo(sold, returns, decimals int) string {
	return strconv.FormatFloat(100*ReturnRate(sold, returns), 'f', decimals, 64) + " %"
}

// Channel is where a sale happened.
type Channel string

// Channels lists every sales channel.
var Channels = []Channel{"fair", "online", "other"}

// ParseChannel accepts fair, online or other.
func ParseChannel(s string) (Channel, error) {
	for _, c := range Channels {
		if string(c) == s {
			return c, nil
		}
	}
	return "", Errorf(EInvalid, "%q is not a sales channel; use %s", s, joinStrings(Channels))
}

// ReasonsOf lists the reasons of one class, in the listed order.
func ReasonsOf(class ReturnClass) []ReturnReason {
	var rs []ReturnReason
	for _, rc := range reasonClasses {
		if rc.class == class {
			rs = append(rs, rc.reason)
		}
	}
	return rs
}

// ImportedChannels are the marketplaces whose order files the shop
// imports; their sales are recorded from the files, never typed.
var ImportedChannels = []Channel{"etsy", "shopify"}

// ParseEventChannel accepts a recorded sale's channel: one a sale can be
// typed with, or a marketplace whose orders were imported.
func ParseEventChannel(s string) (Channel, error) {
	for _, c := range ImportedChannels {
		if string(c) == s {
			return c, nil
		}
	}
	if c, err := ParseChannel(s); err == nil {
		return c, nil
	}
	return "", Errorf(EInvalid, "%q is not a sales channel; use %s or %s", s, joinStrings(Channels), joinStrings(ImportedChannels))
}
