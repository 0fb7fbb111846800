package ui

import "microshop/domain"

// remedies are the desktop app's words for what would settle an error;
// package app leaves them out of its messages (see domain.Remedy). The
// app opens its own shop, so the remedies about shop files have none.
var remedies = map[domain.Remedy]string{
	domain.RemedyListSKUs:      "the SKUs screen lists every code",
	domain.RemedyListArchived:  "the SKUs screen's Archived filter lists them",
	domain.RemedyListFactories: "the Factories screen lists every factory",
	domain.RemedyListBatches:   "the Batches screen lists every batch",
	domain.RemedyListConflicts: "the Sync screen lists the conflicts",
	domain.RemedyListSales:     "the Sell screen lists the day's sales",
	domain.RemedyResumeFactory: "Resume on the Factories screen lifts the pause",
	domain.RemedyEditSKU:       "open that SKU on the SKUs screen to edit it",
	domain.RemedyNameFactory:   "choose one in the Factory field",
	domain.RemedyAssumeRate:    "type the units a day you expect in the Units a day field",
	domain.RemedyListLocations: "the Sell screen's location list names every location",
	domain.RemedyMoveUnits:     "a SKU's Move… on the SKUs screen carries its units to another location",
	domain.RemedyInvite:        "on a device where the shop is sealed, Sync → Invite a device makes one, and Use an invite on this Sync screen takes it, keeping this shop's data",
	domain.RemedyJoinShop:      "a computer becomes a device of a shop with Join a shop, on the first screen, and an invite from one of its devices, not by creating a shop of the same name",
	domain.RemedyWritableCopy:  "Shop → Back up… saves a copy, and microshopctl restore makes that copy a shop you can change",
	domain.RemedyOpenWritable:  "start Microshop without --read-only",
	domain.RemedySupplyPath:    "choose them in the Supply path and Factory fields",
	domain.RemedySameCode:      "the SKUs screen lists both: open one and change its code",
	domain.RemedyWaitForWriter: "wait for that program to finish, then try again",
}

// errorText is the one sentence the app shows for err: what is wrong, and
// where in the app to settle it.
func errorText(err error) string {
	msg := domain.ErrorMessage(err)
	if r := remedies[domain.RemedyOf(err)]; r != "" {
		msg = domain.WithRemedy(msg, r)
	}
	return sentence(msg)
}
