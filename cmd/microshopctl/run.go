package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"golang.org/x/term"

	"microshop/app"
	"microshop/domain"
)

// command is one microshopctl command. Its run function defines its flags
// with c.flags(), so `-h` and `microshopctl help NAME` show exactly the flags
// it parses.
type command struct {
	name    string // one word, or a group and a word: "sku add"
	usage   string // what follows the name in a usage line
	summary string // one sentence: what it does
	about   string // more, for its help only
	run     func(ctx context.Context, c *cli, args []string) error
}

// commands is the dispatch table, in the order help lists it.
var commands = []command{
	{name: "init", usage: "--shop NAME [--currency EUR] [--device NAME]",
		summary: "Create a shop on this device.", run: runInit},
	{name: "demo", usage: "[--seed N]",
		summary: "Create a believable demo shop with 90 days of history: reorders, a QA hold and a quality pause on day one.",
		run:     runDemo},
	{name: "shop", usage: "",
		summary: "Show the shop id, name, currency and this device's id.", run: runShop},

	{name: "factory add", usage: "NAME --kind print|microfactory|workshop --lead-days N [--location local|overseas] [--moq N] [--multiple N] [--established]",
		summary: "Add a factory: a print shop, a microfactory or your own workshop.",
		about:   "A factory is new, and a share of each batch it delivers is held for QA, until 3 of its batches pass QA; --established skips that.",
		run:     runFactoryAdd},
	{name: "factory list", usage: "[--as-of DATE]",
		summary: "List the factories, with which are new and which are paused.", run: runFactoryList},
	{name: "factory show", usage: "NAME [--as-of DATE]",
		summary: "Show one factory, its quality record and the quotes it has given.", run: runFactoryShow},
	{name: "factory edit", usage: "NAME [--name NEW] [--lead-days N] [--location local|overseas] [--moq N] [--multiple N]",
		summary: "Change the given fields of a factory; the others stay as they are.",
		about:   "Its SKUs and batches follow it under a new name. A new lead time applies to the SKUs that follow the factory's, not to batches already ordered. A name another factory has is refused.",
		run:     runFactoryEdit},
	{name: "factory pause", usage: "NAME [--reason TEXT]",
		summary: "Pause a factory: no batch is suggested or ordered from it until it is resumed.", run: runFactoryPause},
	{name: "factory resume", usage: "NAME [--at TIME]",
		summary: "Resume a paused factory; the quality rule counts afresh from then (now, or --at).", run: runFactoryResume},

	{name: "sku add", usage: "CODE --name NAME --path digital|print|microfactory|handmade [--factory NAME] [--price X] [--cost X] [--lead-days N] [--min-cover DAYS] [--max-cover DAYS]",
		summary: "Add a SKU with its one supply path and, unless digital, its primary factory.",
		about:   "Lead time follows the factory and cover follows the supply path unless given.",
		run:     runSKUAdd},
	{name: "sku edit", usage: "CODE [--code NEW] [--name NAME] [--path PATH] [--factory NAME] [--price X] [--cost X] [--lead-days N|default] [--min-cover DAYS|default] [--max-cover DAYS|default]",
		summary: "Change the given fields of a SKU; the others stay as they are.",
		about:   "Give --lead-days, --min-cover or --max-cover as default to drop the override. When two devices added the same code while apart, `microshopctl alerts` names both SKUs; edit one by its id to give it a code of its own.",
		run:     runSKUEdit},
	{name: "sku list", usage: "[--archived]",
		summary: "List the SKUs on sale; --archived lists the archived ones instead.", run: runSKUList},
	{name: "sku show", usage: "CODE",
		summary: "Show one SKU.", run: runSKUShow},
	{name: "sku archive", usage: "CODE",
		summary: "Archive a SKU: it leaves selling and reorders, its history stays.",
		about:   "It keeps its code: no other SKU takes it until it is unarchived or given another.",
		run:     runSKUArchive},
	{name: "sku unarchive", usage: "CODE",
		summary: "Put an archived SKU back on sale and in reorders.",
		about:   "Refused while another SKU on sale has its code (two devices can each add one while apart): give that one another code first with `microshopctl sku edit CODE --code NEW`.",
		run:     runSKUUnarchive},

	{name: "batch order", usage: "CODE --qty N [--factory NAME] [--unit-cost X] [--expected DATE] [--at TIME] [--force]",
		summary: "Order a batch of a SKU from its primary factory or another.",
		about:   "A paused factory (by hand, by a failed QA or by its quality returns) takes no order unless --force. An order below the factory's minimum order or off its batch multiple goes through with a warning on stderr.",
		run:     runBatchOrder},
	{name: "batch receive", usage: "BATCH_ID --qty N [--at TIME] [--location NAME] [--force]",
		summary: "Receive units of a batch; from a new factory, 10 % of the batch (rounded up, counted over its deliveries; `shop set --qa-hold` sets 5 to 10 %) is held until QA passes.",
		about:   "More units than are still to come (factory overs, or any into a cancelled batch) are refused unless --force.",
		run:     runBatchReceive},
	{name: "batch qa", usage: "BATCH_ID (--pass | --fail [--cancel-rest]) [--note TEXT] [--at TIME]",
		summary: "Pass or fail the held units of a batch.",
		about:   "A pass releases them for sale; a fail rejects them (they leave stock) and pauses the factory until the rest of the batch is inspected. Units still to come stay on order after a fail unless --cancel-rest.",
		run:     runBatchQA},
	{name: "batch edit", usage: "BATCH_ID [--qty N] [--expected DATE]",
		summary: "Change the quantity ordered or the expected arrival of a batch.",
		about:   "The quantity cannot go below the units already received; a cancelled batch is not edited. A quantity below the factory's minimum order or off its batch multiple goes through with a warning on stderr.",
		run:     runBatchEdit},
	{name: "batch cancel", usage: "BATCH_ID",
		summary: "Cancel the units of a batch not yet received: they leave on order (status cancelled).",
		about:   "What was received stays in stock, and held units still wait for QA. A fully received batch has nothing to cancel.",
		run:     runBatchCancel},
	{name: "batch list", usage: "[--open]",
		summary: "List batches, newest first.", run: runBatchList},

	{name: "sell", usage: "CODE[:QTY] [CODE[:QTY] ...] [--qty N] [--price X] [--payment cash|card|other] [--discount PERCENT] [--channel fair|online|other] [--location NAME] [--at TIME] [--force]",
		summary: "Record a sale: one item, or a basket of several as one order.",
		about:   "--discount takes a percentage off every item. --qty and --price are for one item; with several, give each as CODE:QTY. A sale beyond available stock, at its time or at any later moment, is refused unless --force (the whole basket is then refused): a sale that really happened is recorded, and the SKU then shows as oversold.",
		run:     runSell},
	{name: "sales", usage: "[--from DATE] [--to DATE] [--code CODE]",
		summary: "List the sale lines of a day (today by default) or a period, newest first, with their ids for void.", run: runSales},
	{name: "void", usage: "SALE_ID [--reason TEXT] [--force]",
		summary: "Void a recorded sale line, on any day: its units come back; the line stays, shown as voided.",
		about:   "Voiding a line twice is refused; two devices voiding one line while apart make one void. A return names no sale: when a return of what the line sold, refunded or restocked, was recorded since the sale, the void is refused unless --force, since if those were this sale's units, the close of day would count the money and the units back twice.",
		run:     runVoid},
	{name: "day", usage: "[DATE] [--out FILE.csv|FILE.pdf] [--overwrite]",
		summary: "Sum up a day at the till (today by default): orders, takings by payment and channel, discounts, returns, refunds and voids.",
		run:     runDay},
	{name: "return", usage: "CODE --qty N --reason REASON [--batch BATCH_ID] [--restock] [--refund AMOUNT] [--payment cash|card|other] [--location NAME] [--at TIME] [--force]",
		summary: "Record units coming back, with the reason; --restock puts them back in stock.",
		about:   "Reasons: quality: defect, broke, not-as-described; logistics: damaged-in-transit, packaging, lost; buyer: changed-mind, wrong-size, other. --refund 0 records that nothing was paid back (an exchange); without --refund the margins count the units as refunded at their sale price.",
		run:     runReturn},
	{name: "count", usage: "CODE --qty N [--location NAME] [--at TIME]",
		summary: "Record a stocktake: N units on hand at one location at TIME, held units included.",
		about:   "A count counts one location (this device's, or --location); the others keep their stock.",
		run:     runCount},
	{name: "adjust", usage: "CODE --qty N --note TEXT [--location NAME] [--at TIME] [--force]",
		summary: "Record a signed stock correction, with a note saying why.",
		about:   "Taking out more than is available, now or at any moment since --at, is refused unless --force, as a sale is.",
		run:     runAdjust},

	{name: "stock", usage: "[CODE] [--as-of DATE] [--location NAME]",
		summary: "Show stock per SKU: on hand, held, available, on order, daily rate, cover days and status.",
		about:   "--location counts one location's units; the daily rate, status and reorders stay the whole shop's.",
		run:     runStock},

	{name: "location add", usage: "NAME",
		summary: "Add a location stock can be at: a stall, a partner's shelf, a shop window.",
		about:   "Every shop has main. Names differing only in case or spacing are one location, so two devices adding \"stall\" while apart make one.",
		run:     runLocationAdd},
	{name: "location list", usage: "",
		summary: "List the locations, main first.", run: runLocationList},
	{name: "location use", usage: "NAME",
		summary: "Make a location this device's default: where its sales, receipts, returns, counts and adjustments happen.",
		about:   "A setting of this device alone: the stall laptop sells from the stall, the workshop desktop from main.",
		run:     runLocationUse},
	{name: "location rename", usage: "NAME NEW",
		summary: "Give a location another name: a typo fixed, a stall that moved.",
		about:   "The location stays itself: its units, sales and moves follow it under the new name, on every device once they sync. Main keeps its name; a name another location has is refused.",
		run:     runLocationRename},
	{name: "location remove", usage: "NAME",
		summary: "Remove a location from the lists; its sales and moves keep its name.",
		about:   "Refused while units are there: move them first. A device that sold there sells at main again. Adding the name again brings it back.",
		run:     runLocationRemove},
	{name: "move", usage: "CODE --qty N --from LOCATION --to LOCATION [--at TIME]",
		summary: "Carry units of a SKU from one location to another.",
		about:   "Refused beyond what is available where they start, or to a location that does not exist.",
		run:     runMove},
	{name: "pack", usage: "--days D [--as-of DATE] [--to LOCATION] [--out FILE.pdf] [--overwrite]",
		summary: "List what to bring to a fair of D days: each SKU's fair rate × D × 1.5, at least 1, at most what is at main.",
		about:   "A SKU never sold at a fair counts at twice its daily rate. --to records the list as one move from main to that location; --out writes it as a checklist to print.",
		run:     runPack},
	{name: "reorder", usage: "[--as-of DATE]",
		summary: "List the SKUs to reorder, with the trigger and the suggested quantity.", run: runReorder},
	{name: "alerts", usage: "[--as-of DATE]",
		summary: "List what needs action: stockouts, reorders, QA holds, overdue batches, paused factories, returns, conflicts.", run: runAlerts},
	{name: "returns", usage: "[--days 90] [--as-of DATE]",
		summary: "Show return rates by factory and reason class, the factories past the 3 % quality limit first.", run: runReturns},
	{name: "message", usage: "CODE [--as-of DATE]",
		summary: "Write the lead-time message a buyer should see for a SKU.", run: runMessage},

	{name: "orders", usage: "[--open] [--delayed] [--as-of DATE]",
		summary: "List the imported Etsy and Shopify orders, newest first; --open: not yet shipped; --delayed: open ones holding an oversold SKU.",
		about:   "A delayed order comes with the date it can ship and the message to send its buyer. Importing a later export marks orders shipped; an order never goes back to open. `microshopctl orders ship ORDER ...` marks them shipped by hand.",
		run:     runOrders},
	{name: "orders ship", usage: "ORDER [ORDER ...] [--channel etsy|shopify] [--at TIME]",
		summary: "Mark imported orders shipped, now or --at, before the channel's next export says so.",
		about:   "A delayed order shipped the day its batch arrives leaves the delayed list at once. Shipped is never undone: a later import of a file that still shows the order open changes nothing. A Shopify order's # may be left out. Several orders are marked all or none: one not found, already shipped or given twice is refused, and none is marked. With --json, one order prints one object, several an array of them.",
		run:     runOrderShip},
	{name: "labels", usage: "[CODE ...] [--all] [--copies N | --stock] [--layout a4-3x8|letter-3x10|roll-57x32] [--no-price] --out FILE.pdf [--overwrite]",
		summary: "Print labels: the SKU's name, price, a Code 128 and a QR code of its code, as a PDF of label sheets.",
		about:   "--stock prints one label per available unit. A code too long for its Code 128 to scan on the layout is refused, with the longest that fits.",
		run:     runLabels},
	{name: "po", usage: "FACTORY --out FILE.pdf|FILE.csv [--as-of DATE] [--force] [--overwrite]",
		summary: "Write a purchase order for a factory from the reorder suggestions: codes, names, quantities, unit costs, total and the date needed by.",
		about:   "It records nothing: order with `microshopctl batch order` once the factory confirms. A paused factory needs --force.",
		run:     runPO},
	{name: "export", usage: "stock|reorder|sales|shopify-inventory --out FILE.csv [--as-of DATE] [--from DATE --to DATE] [--shopify-location NAME] [--overwrite]",
		summary: "Write a CSV: stock, reorder suggestions, sales over a period, or Shopify's inventory CSV with the shop's on hand, and open Shopify orders' units, as On hand (new).",
		about:   "Shopify's inventory import takes the shopify-inventory file back; --shopify-location names the location (default \"Shop location\").",
		run:     runExport},
	{name: "import", usage: "FILE [--format auto|etsy-orders|etsy-listings|shopify-orders|shopify-products] [--dry-run] [--map THEIR_SKU=CODE ...] [--skip-unknown] [--path PATH --factory NAME] [--update]",
		summary: "Import a channel's CSV: Etsy sold order items or Shopify orders become sales on channel etsy or shopify; Etsy listings or Shopify products add the SKUs the shop lacks.",
		about:   "All or nothing: a row naming a SKU the shop lacks, a bad quantity, price or date refuses the whole file, with every bad row's line. Lines imported before, on this device or another, count as duplicates; cancelled, voided and refunded orders are skipped. A sale beyond stock is recorded all the same (the SKU shows oversold). A listing file adds its SKUs with --path and --factory, the file's quantity as their first stocktake; --update also changes name and price of those the shop has.",
		run:     runImport},

	{name: "join", usage: "--invite INVITE [--device NAME] [--bundle FILE] | --lan [--code CODE [--host NAME]] [--device NAME]",
		summary: "Make this device a replica of a shop, from an invite made on one of its devices, or fetched from a computer nearby with the code it shows.",
		about:   "The shop is copied beside the database under a temporary name and takes its place only once complete: a join cut short leaves no shop, and joining again starts afresh. The relay and token are remembered in a file beside the shop (PATH.sync), readable by you only. A relay and token alone cannot join: the invite carries the shop's key. On a device that holds the shop already (it synced before the shop was sealed), join --invite gives it the key and keeps its data. With --bundle the shop is made from a bundle file instead of the relay: the way to join a shop that syncs by file (its invite names no relay, so it joins only with --bundle), and an invite and a bundle, kept apart, bring a shop back when every device is lost. --lan lists the computers on this network that host sync (Host sync on this computer, in the desktop app); with --code, the code such a computer shows under Invite a device, it fetches that computer's invite and joins with it (--host NAME picks one when several are found). The code never crosses the network: it only opens the invite, and it lasts 10 minutes.",
		run:     runJoin},
	{name: "invite", usage: "[--relay URL --token TOKEN] [--qr FILE.png [--overwrite]]",
		summary: "Print an invite: one string that lets another device join this shop (its relay, a token and the shop's key).",
		about:   "Without --relay and --token, the invite leads to the relay this device syncs with; on a shop that syncs with no relay (by file, or not at all), it names none and the other device joins with it and a bundle exported here (join --invite INVITE --bundle FILE). --qr also writes a QR code of it to scan. Anyone holding an invite can read and change the shop: give it only to your own devices.",
		run:     runInvite},
	{name: "shop seal", usage: "",
		summary: "Seal a shop that synced before sealing came: from now on its changes leave this device encrypted with the shop's key.",
		about:   "New shops are sealed from the start. The other devices then join with an invite from this one and keep their data. A relay used before still holds the older changes in the clear; its owner drops them with `microshop-relay forget` once every device has synced sealed.",
		run:     runShopSeal},
	{name: "sync", usage: "[--relay URL --token TOKEN] [--watch]",
		summary: "Exchange changes with a relay until both sides hold the same; --watch stays connected.",
		about:   "The relay and token are remembered, so later syncs need neither.",
		run:     runSync},
	{name: "bundle export", usage: "--out FILE [--overwrite]",
		summary: "Write all of this shop's changes to a file, for a peer without a network.",
		about:   "The file appears whole or not at all. An existing file is kept unless --overwrite; the shop's own files are never written over.",
		run:     runBundleExport},
	{name: "bundle import", usage: "FILE",
		summary: "Apply a bundle file from another device of this shop; importing twice is harmless.", run: runBundleImport},

	{name: "backup", usage: "--out FILE [--overwrite]",
		summary: "Write a consistent copy of the shop to a file, even while the desktop app has it open.",
		about:   "Keep backups on another disk. The file holds every sale, so it is readable by you only; it holds no sync token.",
		run:     runBackup},
	{name: "restore", usage: "FILE",
		summary: "Put the shop back from a backup file, as a new device of the shop, so that nothing is lost or counted twice.",
		about:   "Close the desktop app first. A shop already at --db must be the same shop; it is kept beside it under a new name, with its device, so the sales it had not synced can still be synced from it.",
		run:     runRestore},

	{name: "shop set", usage: "[--holding-rate PERCENT] [--qa-hold PERCENT] [--name NAME]",
		summary: "Change shop settings: the yearly holding rate (default 25 %), the share of a new factory's deliveries held for QA (default 10 %) and the name.", run: runShopSet},
	{name: "factory quote", usage: "FACTORY CODE [--unit-cost X] [--shipping X] [--moq N] [--multiple N] [--lead-days N]",
		summary: "Record what a factory asks to make a SKU, to compare sources with `microshopctl source`.",
		about:   "The minimum order, multiple and lead time default to the factory's. Quoting the same factory and SKU again changes the terms given and keeps the others.",
		run:     runFactoryQuote},
	{name: "factory unquote", usage: "FACTORY CODE",
		summary: "Withdraw a factory's quote for a SKU: it no longer offers it, or it was recorded by mistake.",
		about:   "The quote leaves `microshopctl source` on every device once synced. Quoting again brings it back.",
		run:     runFactoryUnquote},
	{name: "source", usage: "CODE [--as-of DATE] [--run N] [--rate R]",
		summary: "Compare local short runs and overseas bulk for a SKU, side by side, and recommend one.",
		about:   "Each candidate (the SKU's factory at its cost, and every quote) shows landed cost, the cover and order its lead time forces, units and cash tied up, holding cost per unit and total per unit. --run N adds the cost per unit of a limited edition of N; --rate R assumes R units a day for a SKU with no sales yet.",
		run:     runSource},
	{name: "kit add", usage: "CODE --name NAME --part CODE:QTY [--part CODE:QTY ...] [--price X]",
		summary: "Make a kit: a SKU made of other SKUs, sold and returned as its parts.",
		about:   "A kit's available is its scarcest part's and its status the worst of its parts'; units sold in kits count in each part's daily rate. A kit cannot be a part. Without --price its price is set once, at the sum of its parts' prices less 10 % that day; `microshopctl kit edit --price` changes it.",
		run:     runKitAdd},
	{name: "kit edit", usage: "CODE [--code NEW] [--name NAME] [--price X] [--part CODE:QTY ...]",
		summary: "Change a kit's code, name, price or parts.",
		about:   "--part replaces every part: give one --part for each part the kit keeps. Its sales so far keep the parts they moved.",
		run:     runKitEdit},
	{name: "kit list", usage: "",
		summary: "List the kits with their parts and how many are available.", run: runKitList},
	{name: "kit show", usage: "CODE",
		summary: "Show one kit.", run: runKitShow},
	{name: "kit suggest", usage: "[--as-of DATE] [--limit N]",
		summary: "Suggest bundles that move overstock: a SKU above its maximum cover with a fast seller.",
		about:   "Never a SKU that is out, needs a reorder or comes from a paused factory. Make one with `microshopctl kit add`.",
		run:     runKitSuggest},
	{name: "margins", usage: "[--days 90] [--as-of DATE]",
		summary: "Show the unit economics of every SKU, worst first: units, revenue, cost, returns, contribution, margin and contribution a day.",
		about:   "Revenue leaves voided sales out; cost is of the units the buyers kept (sold less returned); returns are the refunds given (a return without a refund at the average sale price, or the SKU's price when it sold none in the period; one with --refund 0 at nothing) and the cost of units not restocked.",
		run:     runMargins},

	{name: "simulate", usage: "[--skus 50] [--days 365] [--seed N] [--chart FILE.png] [--overwrite] [--cover-scale A,B,...] [--lead-spread PERCENT]",
		summary: "Replay a seeded synthetic shop under the microshop, monthly and reorder-point policies, and compare them.",
		about:   "It needs no shop: it builds its own. The same seed gives the same figures. --cover-scale adds one microshop row per multiplier of the cover the rules keep, to show the trade-off between stock held and sales lost.",
		run:     runSimulate},

	{name: "conflicts", usage: "",
		summary: "List concurrent edits that lost, newest first, each with its id.", run: runConflicts},
	{name: "conflicts undo", usage: "ID",
		summary: "Give a field back the value that lost in a conflict, on this device and, as they sync, every other.",
		about:   "ID is the one `microshopctl conflicts` shows. The conflict is then settled, and leaves the list on every device as they sync.",
		run:     runConflictUndo},
	{name: "conflicts keep", usage: "ID",
		summary: "Settle a conflict on the value kept, so it leaves the list on this device and, as they sync, every other.",
		about:   "ID is the one `microshopctl conflicts` shows. The value in force does not change; a device that joins later does not list the conflict. A batch's QA decision is settled whole, its stock and factory as they are.",
		run:     runConflictKeep},
	{name: "status", usage: "",
		summary: "Show this device's id, its version vector and its unsynced changes.", run: runStatus},
	{name: "version", usage: "",
		summary: "Show which version of microshopctl this is (also `microshopctl --version`).", run: runVersion},
}

// cli is one invocation: where output goes and the global flags.
type cli struct {
	stdout, stderr io.Writer
	db             string // --db
	json           bool   // --json
	readOnly       bool   // --read-only
	loc            *time.Location
	cmd            *command      // the command being run
	money          []typedAmount // money flags as typed, read again in the shop's currency
	currency       string        // the open shop's currency, for amounts written for people
	// tty is stderr when it is a terminal, for progress bars; nil when
	// it is a file or a pipe, which get no bar.
	tty io.Writer
}

// Run runs microshopctl with args (the program name left out) and returns
// the exit code: 0 on success or help, 1 when the shop refuses the command,
// 2 when the command line itself is wrong, 130 when Ctrl+C stopped it. Any error is one sentence on
// stderr; with --json, stdout holds one JSON document or nothing.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	c := &cli{stdout: safeWriter{stdout}, stderr: safeWriter{stderr}, loc: time.Local}
	if f, ok := stderr.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		c.tty = f
	}
	stderr = c.stderr
	err := c.dispatch(ctx, args)
	if err == nil || errors.Is(err, errHelp) {
		return 0
	}
	if ctx.Err() != nil && errors.Is(err, context.Canceled) {
		// Ctrl+C: every write is one transaction, and the one under way
		// was rolled back.
		fmt.Fprintln(stderr, "Stopped before it finished; nothing half-done was written.")
		return 130
	}
	var ue *usageError
	if errors.As(err, &ue) {
		fmt.Fprintln(stderr, oneLine(ue.msg))
		return 2
	}
	fmt.Fprintln(stderr, errorText(err))
	return 1
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// dispatch reads the global flags and runs the command.
func (c *cli) dispatch(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("microshopctl", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	c.globalFlags(fs)
	showVersion := fs.Bool("version", false, "print the version and exit")
	if err := refuseFlagAsValue(fs, args, false); err != nil {
		return err
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			c.printCommands(c.stdout, "")
			return errHelp
		}
		return explainFlagError(err, nil, "microshopctl", "microshopctl help")
	}
	if err := refuseEmpty(fs); err != nil {
		return err
	}
	if *showVersion {
		return c.printVersion()
	}
	args = fs.Args()
	if len(args) == 0 {
		c.printCommands(c.stdout, "")
		return nil
	}
	if args[0] == "help" {
		return c.help(ctx, args[1:])
	}
	cmd, rest, err := c.lookup(args)
	if err != nil {
		return err
	}
	c.cmd = cmd
	return cmd.run(ctx, c, rest)
}

// lookup finds the command args name, and the arguments left for it.
func (c *cli) lookup(args []string) (*command, []string, error) {
	if len(args) > 1 {
		if cmd := findCommand(args[0] + " " + args[1]); cmd != nil {
			return cmd, args[2:], nil
		}
	}
	if cmd := findCommand(args[0]); cmd != nil {
		return cmd, args[1:], nil
	}
	if subs := groupCommands(args[0]); len(subs) > 0 {
		if len(args) > 1 && isHelpFlag(args[1]) {
			c.printCommands(c.stdout, args[0])
			return nil, nil, errHelp
		}
		if len(args) == 1 {
			return nil, nil, usagef("microshopctl %s needs one of %s; see `microshopctl help %s`", args[0], orList(subs), args[0])
		}
		return nil, nil, usagef("%q is not a %s command; use %s (see `microshopctl help %s`)", args[1], args[0], orList(subs), args[0])
	}
	return nil, nil, usagef("%q is not a microshopctl command; see `microshopctl help` for the commands", args[0])
}

func isHelpFlag(s string) bool {
	switch s {
	case "-h", "--h", "-help", "--help":
		return true
	}
	return false
}

func findCommand(name string) *command {
	for i := range commands {
		if commands[i].name == name {
			return &commands[i]
		}
	}
	return nil
}

// groupCommands lists the second words of a group's commands ("add",
// "list", ... for "factory").
func groupCommands(group string) []string {
	var out []string
	for _, cmd := range commands {
		if g, sub, ok := strings.Cut(cmd.name, " "); ok && g == group {
			out = append(out, sub)
		}
	}
	return out
}

func orList(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " or " + items[len(items)-1]
}

// help prints the command list, a group's commands or one command's help.
func (c *cli) help(ctx context.Context, args []string) error {
	if len(args) == 0 {
		c.printCommands(c.stdout, "")
		return errHelp
	}
	if len(args) == 1 && len(groupCommands(args[0])) > 0 {
		if cmd := findCommand(args[0]); cmd != nil {
			return c.helpBoth(ctx, cmd)
		}
		c.printCommands(c.stdout, args[0])
		return errHelp
	}
	cmd, _, err := c.lookup(args)
	if err != nil {
		return err
	}
	c.cmd = cmd
	return cmd.run(ctx, c, []string{"-h"})
}

// helpBoth is the help of a command that is also a group (orders, and
// orders ship): its own, as `orders -h` shows it, then the group's
// commands. The group's list alone left the command's flags out.
func (c *cli) helpBoth(ctx context.Context, cmd *command) error {
	c.cmd = cmd
	err := cmd.run(ctx, c, []string{"-h"})
	fmt.Fprintf(c.stdout, "\nCommands:\n")
	tw := tabwriter.NewWriter(c.stdout, 0, 0, 2, ' ', 0)
	for _, sub := range groupCommands(cmd.name) {
		fmt.Fprintf(tw, "  %s %s\t%s\n", cmd.name, sub, findCommand(cmd.name+" "+sub).summary)
	}
	tw.Flush()
	return err
}

// printCommands lists every command, or those of one group.
func (c *cli) printCommands(w io.Writer, group string) {
	if group == "" {
		fmt.Fprintf(w, "microshopctl runs a Microshop shop from the command line, with no network needed.\n\n")
		fmt.Fprintf(w, "Usage: microshopctl [--db PATH] [--json] [--read-only] COMMAND [flags] [args]\n       microshopctl --version\n\nCommands:\n")
	} else {
		fmt.Fprintf(w, "Usage: microshopctl %s COMMAND [flags] [args]\n\nCommands:\n", group)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, cmd := range commands {
		if g, _, _ := strings.Cut(cmd.name, " "); group != "" && g != group {
			continue
		}
		fmt.Fprintf(tw, "  %s\t%s\n", cmd.name, cmd.summary)
	}
	tw.Flush()
	fmt.Fprintf(w, "\nThe database is --db PATH, else $MICROSHOP_DB (an empty one counts as unset), else microshop/shop.db in your data directory.\n")
	fmt.Fprintf(w, "A shop you cannot write to (a read-only file or folder, a write-protected USB stick) opens for reading only, as --read-only opens any: reports work, and every change is refused.\n")
	fmt.Fprintf(w, "Event commands take --at TIME (RFC 3339 or YYYY-MM-DD); reports take --as-of DATE (YYYY-MM-DD).\n")
	fmt.Fprintf(w, "Run `microshopctl help COMMAND` or `microshopctl COMMAND -h` for a command's flags.\n")
}

// dbPath is the database this invocation works on. --db is never empty
// here (refuseEmpty); an empty MICROSHOP_DB counts as unset, as an empty
// variable does for most programs.
func (c *cli) dbPath() (string, error) {
	if c.db != "" {
		return c.db, nil
	}
	if p := os.Getenv("MICROSHOP_DB"); p != "" {
		return p, nil
	}
	return app.DefaultPath()
}

// open opens the existing shop; the caller closes it.
func (c *cli) open() (*app.Shop, error) {
	path, err := c.dbPath()
	if err != nil {
		return nil, err
	}
	return app.Open(path, app.Options{Location: c.loc, ReadOnly: c.readOnly})
}

// withShop opens the shop, runs fn on it and closes it.
func (c *cli) withShop(fn func(s *app.Shop) error) error {
	s, err := c.open()
	if err != nil {
		return err
	}
	defer s.Close()
	info, err := s.Info(context.Background())
	if err != nil {
		return err
	}
	c.currency = info.Currency
	if err := c.checkMoney(); err != nil {
		return err
	}
	return fn(s)
}

// amount writes m for people as the open shop's currency writes it: 1500
// in yen, 24.00 in euros. JSON and CSV write Money.String, two decimals
// whatever the currency.
func (c *cli) amount(m domain.Money) string { return m.Format(c.currency) }

// printJSON writes v as the one JSON document on stdout.
func (c *cli) printJSON(v any) error {
	enc := json.NewEncoder(c.stdout)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// printJSONList writes items as printJSON writes the array of them, one
// item at a time: the array of 100,000 orders was made whole, then made
// again indented, growing each copy as it went, for most of a second.
func printJSONList[T any](c *cli, items []T) error {
	if len(items) == 0 {
		return c.printJSON(items)
	}
	out := bufio.NewWriterSize(c.stdout, 64<<10)
	var item bytes.Buffer
	enc := json.NewEncoder(&item)
	enc.SetEscapeHTML(false)
	enc.SetIndent("  ", "  ") // inside the array
	out.WriteString("[\n")
	for i, v := range items {
		item.Reset()
		if err := enc.Encode(v); err != nil {
			return err
		}
		out.WriteString("  ")
		out.Write(bytes.TrimSuffix(item.Bytes(), []byte("\n")))
		if i < len(items)-1 {
			out.WriteString(",")
		}
		out.WriteString("\n")
	}
	out.WriteString("]\n")
	return out.Flush()
}

// table is an aligned table on stdout, written out in large pieces when
// flushed: the tabwriter writes each cell and each cell's padding apart,
// and listing 100,000 orders made a million writes to stdout, a second
// of the command's time.
type table struct {
	*tabwriter.Writer
	out *bufio.Writer
}

// Flush writes the table out.
func (t *table) Flush() error {
	if err := t.Writer.Flush(); err != nil {
		return err
	}
	return t.out.Flush()
}

// table is an aligned table on stdout; the caller flushes it.
func (c *cli) table(header ...string) *table {
	// Cells are checked as they are written, whole, and then buffered: a
	// buffer's piece may end inside a letter.
	raw := c.stdout
	if w, ok := raw.(safeWriter); ok {
		raw = w.w
	}
	out := bufio.NewWriterSize(raw, 64<<10)
	tw := tabwriter.NewWriter(safeWriter{out}, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(header, "\t"))
	return &table{tw, out}
}

// row writes one table row, in one piece.
func row(tw *table, cells ...any) {
	var b strings.Builder
	for i, cell := range cells {
		if i > 0 {
			b.WriteByte('\t')
		}
		if s, ok := cell.(string); ok {
			b.WriteString(s)
		} else {
			fmt.Fprint(&b, cell)
		}
	}
	b.WriteByte('\n')
	io.WriteString(tw, b.String())
}

// say writes a confirmation sentence.
func (c *cli) say(format string, args ...any) {
	fmt.Fprintf(c.stdout, format+"\n", args...)
}

// atFlag defines --at: when an event happened; zero means now.
func (f *flagSet) atFlag() *time.Time {
	return parsed(f, "at", "when it happened, `TIME`: RFC 3339 like 2026-05-01T14:30:00+02:00, or a date like 2026-05-01 (noon; today's date is now); default now",
		func(s string) (time.Time, error) { return domain.ParseAtNow(s, f.c.loc, time.Now()) })
}

// asOfFlag defines --as-of: the day a report describes; zero means now.
func (f *flagSet) asOfFlag() *time.Time {
	return parsed(f, "as-of", "report the state at the end of `DATE` (YYYY-MM-DD); default now",
		func(s string) (time.Time, error) { return domain.ParseReportDay(s, f.c.loc, time.Now()) })
}

// asOf is the report moment for a --as-of value.
func asOf(s *app.Shop, day time.Time) app.AsOf {
	if day.IsZero() {
		return s.AsOfNow()
	}
	return s.AsOfDate(day)
}

// dateOf formats unix milliseconds as a date in the shop's time zone; "" for 0.
func dateOf(ms int64, loc *time.Location) string {
	if ms == 0 {
		return ""
	}
	return time.UnixMilli(ms).In(loc).Format(time.DateOnly)
}
