#!/bin/bash
# oldshop.sh CTL DB: make, with an old build's microshopctl, the small shop
# app/upgrade_test.go opens; each command an old build lacks fails and is
# skipped. The shops in this folder were made so (TZ=UTC, 2026-12-07):
#   shop-00d4c47.db  by 00d4c47 (the first microshopctl), migration 0001
#   shop-0364bb0.db  by 0364bb0 (locations, device keys), migrations to 0022
# then made small: sqlite3 DB 'PRAGMA journal_mode=DELETE; PRAGMA
# page_size=1024; VACUUM; PRAGMA journal_mode=WAL'. Build an old one with
#   git worktree add /tmp/old-00d4c47 00d4c47
#   (cd /tmp/old-00d4c47 && go build -o /tmp/ctl-00d4c47 ./cmd/microshopctl)
# and read its figures with --json stock/batch list/returns/sales/day
# --as-of 2026-12-07.
C=$1
DB=$2
export TZ=UTC
t() { "$C" --db "$DB" "$@" >/dev/null 2>&1 || echo "skipped: $*"; }
id() { "$C" --db "$DB" --json "$@" 2>/dev/null | sed -n 's/^ *"id": "\([^"]*\)".*/\1/p' | head -1; }
t init --shop "Upgrade Shop" --currency EUR --device old-laptop
t factory add "Lino Press" --kind print --lead-days 10
t factory add "Clay Works" --kind microfactory --lead-days 20 --moq 20 --multiple 10 --established
t factory add "Pin Co" --kind microfactory --lead-days 30 --location overseas
t sku add UP-CARD --name "Lino card" --path print --factory "Lino Press" --price 4.50 --cost 0.85
t sku add UP-MUG --name "Speckled mug" --path microfactory --factory "Clay Works" --price 24.00 --cost 7.25
t sku add UP-PIN --name "Enamel pin" --path microfactory --factory "Pin Co" --price 9.00 --cost 1.35
t sku add UP-PDF --name "Zine PDF" --path digital --price 6.00
t sku add UP-OLD --name "Old tote" --path handmade --factory "Clay Works" --price 18.00 --cost 6.00
# A card batch held and passed, a pin batch failed, a mug batch part
# received, one received whole, one edited, one cancelled part received.
B1=$(id batch order UP-CARD --qty 100 --at 2026-11-01)
t batch receive "$B1" --qty 60 --at 2026-11-10
t batch receive "$B1" --qty 40 --at 2026-11-12
t batch qa "$B1" --pass --note crisp --at 2026-11-13
B2=$(id batch order UP-PIN --qty 50 --unit-cost 1.20 --at 2026-11-02)
t batch receive "$B2" --qty 50 --at 2026-11-25
t batch qa "$B2" --fail --note "chipped enamel" --at 2026-11-26
B3=$(id batch order UP-MUG --qty 40 --at 2026-11-03)
t batch receive "$B3" --qty 30 --at 2026-11-20
t batch order UP-CARD --qty 50 --expected 2026-12-20 --at 2026-12-01
B5=$(id batch order UP-OLD --qty 20 --at 2026-11-05)
t batch receive "$B5" --qty 20 --at 2026-11-15
B6=$(id batch order UP-MUG --qty 20 --at 2026-11-28)
t batch edit "$B6" --qty 30 --expected 2026-12-30
B7=$(id batch order UP-CARD --qty 30 --at 2026-11-29)
t batch receive "$B7" --qty 10 --at 2026-12-02
t batch cancel "$B7"
t location add "Winter Fair"
t move UP-CARD --qty 15 --from main --to "Winter Fair" --at 2026-11-30
t move UP-MUG --qty 5 --from main --to "Winter Fair" --at 2026-11-30
t sell UP-CARD --qty 3 --at 2026-11-21T10:00:00Z
t sell UP-CARD --qty 2 --price 4.00 --channel online --at 2026-11-22T11:00:00Z
"$C" --db "$DB" sell UP-MUG --qty 2 --payment card --at 2026-11-23T12:00:00Z >/dev/null 2>&1 || t sell UP-MUG --qty 2 --at 2026-11-23T12:00:00Z
t sell UP-PDF --qty 5 --channel online --at 2026-11-24T09:00:00Z
t sell UP-OLD --qty 1 --channel other --at 2026-11-24T15:00:00Z
t sell UP-CARD:2 UP-MUG:1 --discount 10 --payment card --at 2026-12-01T14:00:00Z
t sell UP-CARD --qty 4 --location "Winter Fair" --payment cash --at 2026-12-01T15:00:00Z
t sell UP-MUG --qty 1 --location "Winter Fair" --payment card --at 2026-12-01T16:00:00Z
S=$(id sell UP-CARD --qty 1 --at 2026-12-02T10:00:00Z)
[ -n "$S" ] && t void "$S" --reason "rung up twice"
t sell UP-PIN --qty 60 --force --channel online --at 2026-12-03T10:00:00Z
"$C" --db "$DB" return UP-CARD --qty 1 --reason defect --batch "$B1" --restock --refund 4.50 --at 2026-11-25 >/dev/null 2>&1 || t return UP-CARD --qty 1 --reason defect --batch "$B1" --restock --at 2026-11-25
"$C" --db "$DB" return UP-MUG --qty 1 --reason broke --refund 24.00 --payment card --at 2026-11-26 >/dev/null 2>&1 || t return UP-MUG --qty 1 --reason broke --at 2026-11-26
t return UP-MUG --qty 1 --reason changed-mind --restock --at 2026-12-02
t return UP-CARD --qty 1 --reason wrong-size --location "Winter Fair" --restock --refund 4.50 --at 2026-12-01T17:00:00Z
t count UP-OLD --qty 18 --at 2026-11-27
t count UP-CARD --qty 9 --location "Winter Fair" --at 2026-12-02T18:00:00Z
t adjust UP-MUG --qty -1 --note "dropped in the van" --at 2026-11-29
t kit add UP-GIFT --name "Gift set" --part UP-CARD:2 --part UP-MUG:1 --price 30.00 && t sell UP-GIFT --at 2026-12-04T10:00:00Z
t shop set --holding-rate 20
t shop set --name "Upgrade Shop Renamed"
t sku edit UP-OLD --price 19.50
t sku archive UP-OLD
t factory pause "Lino Press"
