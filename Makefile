# Microshop. `make run` installs what is missing and starts the desktop app on
# the default database; `make test` runs every test.

GO ?= go
BENCHTIME ?= 1x
# The app's benchmarks time single sales and reports on one big shop built
# once per run (about a minute), so each runs for a while, not once.
APP_BENCHTIME ?= 2s

.PHONY: setup run test lint bench build ctl relay package demo

setup:
	scripts/setup

# The desktop app on the default database (MICROSHOP_DB overrides it).
run: setup
	$(GO) run ./cmd/microshop

# -race also turns on checkptr, which checks every unsafe pointer conversion;
# modernc.org/sqlite is C translated to Go and does one on nearly every
# step, so the check makes SQLite-heavy tests about three times slower.
# It stays on for our own code and the standard library.
RACEFLAGS ?= -race -gcflags='modernc.org/...=-d=checkptr=0'

# The house checks first (gofmt, vet, staticcheck, the complexity limit:
# scripts/lint), then every test with the race detector.
test:
	scripts/lint
	$(GO) test $(RACEFLAGS) -count=1 -timeout 30m ./...

lint:
	scripts/lint

# Speed and memory targets (see README): measurements on data the
# benchmarks build themselves, then each target with "met" or "MISSED".
# Both sets run even if the first misses.
# The relay's PostgreSQL benchmark needs a server: scripts/with-postgres make bench.
bench:
	GO=$(GO) APP_BENCHTIME=$(APP_BENCHTIME) BENCHTIME=$(BENCHTIME) scripts/bench

build:
	$(GO) build ./...
	CGO_ENABLED=0 $(GO) build -o bin/microshopctl ./cmd/microshopctl
	CGO_ENABLED=0 $(GO) build -o bin/microshop-relay ./cmd/microshop-relay

ctl:
	CGO_ENABLED=0 $(GO) build -o bin/microshopctl ./cmd/microshopctl

relay:
	CGO_ENABLED=0 $(GO) build -o bin/microshop-relay ./cmd/microshop-relay

# A desktop bundle (Microshop.tar.xz: the app, its icon and a .desktop
# entry) made by fyne's packager from FyneApp.toml's metadata.
package: setup
	$(GO) build -o microshop ./cmd/microshop
	$(GO) run fyne.io/tools/cmd/fyne@v1.7.4 package --os linux --exe microshop --icon assets/icon.png --name Microshop --app-id com.microshop.app
	rm -f microshop

demo: ctl
	bin/microshopctl demo
