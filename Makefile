# Microshop. `make run` installs what is missing and starts the desktop app on
# the default database; `make test` runs every test.

GO ?= go
BENCHTIME ?= 1x

.PHONY: setup run test bench build ctl relay package demo

setup:
	scripts/setup

# The desktop app on the default database (MICROSHOP_DB overrides it).
run: setup
	$(GO) run ./cmd/microshop

test:
	$(GO) vet ./...
	$(GO) test -race -count=1 ./...

# Speed and memory targets (see README): one-shot measurements on data each
# benchmark builds itself.
bench:
	$(GO) test -run '^$$' -bench . -benchtime $(BENCHTIME) -timeout 60m ./app/ ./sync/client/ ./ui/

build:
	$(GO) build ./...
	CGO_ENABLED=0 $(GO) build -o bin/microshopctl ./cmd/microshopctl
	CGO_ENABLED=0 $(GO) build -o bin/microshop-relay ./cmd/microshop-relay

ctl:
	CGO_ENABLED=0 $(GO) build -o bin/microshopctl ./cmd/microshopctl

relay:
	CGO_ENABLED=0 $(GO) build -o bin/microshop-relay ./cmd/microshop-relay

# A desktop bundle with the app icon (fyne's packager).
package: setup
	$(GO) run fyne.io/tools/cmd/fyne@v1.7.4 package --os linux --source-dir ./cmd/microshop --icon ../../assets/icon.png --name Microshop

demo: ctl
	bin/microshopctl demo
