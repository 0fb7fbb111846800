package main

import "microshop/domain"

// remedies are the command line's words for what would settle an error;
// package app leaves commands and flags out of its messages (see
// domain.Remedy).
var remedies = map[domain.Remedy]string{
	domain.RemedyListSKUs:      "see `microshopctl sku list` for the codes, or add it with `microshopctl sku add`",
	domain.RemedyListArchived:  "see `microshopctl sku list --archived` for the archived ones",
	domain.RemedyListFactories: "see `microshopctl factory list` for the names, or add it with `microshopctl factory add`",
	domain.RemedyListBatches:   "see `microshopctl batch list` for batch ids",
	domain.RemedyListConflicts: "see `microshopctl conflicts`",
	domain.RemedyListSales:     "see `microshopctl sales` for the ids of sale lines",
	domain.RemedyResumeFactory: "resume it with `microshopctl factory resume`",
	domain.RemedyEditSKU:       "edit it with `microshopctl sku edit`",
	domain.RemedyNameFactory:   "name one with --factory",
	domain.RemedyCreateShop:    "create one with `microshopctl init --shop NAME`, or give another --db",
	domain.RemedyOtherShop:     "give another --db",
	domain.RemedyAssumeRate:    "give the units a day you expect with --rate, like --rate 0.5",
	domain.RemedyListLocations: "see `microshopctl location list`, or add it with `microshopctl location add`",
	domain.RemedyMoveUnits:     "`microshopctl move CODE --qty N --from LOCATION --to main` carries them; `microshopctl stock --location LOCATION` lists them",
	domain.RemedyInvite:        "make one with `microshopctl invite` on a device where the shop is sealed, and run `microshopctl join --invite INVITE` here: it keeps this shop's data",
	domain.RemedyJoinShop:      "a machine becomes a device of a shop by joining it, not with init: `microshopctl --db NEW_PATH join --invite INVITE --bundle FILE`, with an invite from `microshopctl invite` on one of its devices",
	domain.RemedyWritableCopy:  "`microshopctl backup --out FILE` copies it, and `microshopctl --db PATH restore FILE` makes the copy a shop you can change at PATH",
	domain.RemedyOpenWritable:  "run the command without --read-only",
	domain.RemedySupplyPath:    "give them with --path (digital, print, microfactory or handmade) and, unless digital, --factory NAME",
	domain.RemedySameCode:      "rename the other with `microshopctl sku edit ID --code NEW`, its ID as `microshopctl alerts` gives it",
	domain.RemedyWaitForWriter: "wait for that program to finish, then run the command again",
}

// errorText is the one sentence microshopctl prints for err: what is
// wrong, and the command or flag that settles it.
func errorText(err error) string {
	msg := domain.ErrorMessage(err)
	if r := remedies[domain.RemedyOf(err)]; r != "" {
		msg = domain.WithRemedy(msg, r)
	}
	return oneLine(msg)
}
