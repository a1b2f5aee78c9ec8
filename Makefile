# överens: the two commands that matter are `make site` and `make test`.
# Both install what they need on a fresh Debian/Ubuntu machine.

SWIFT    ?= swift
## One release build serves the site, the tests, the benchmark and the package: the Swift
## runtime and Foundation linked in, so the binary runs where no Swift is installed
## (--static-swift-stdlib changes how every module is compiled: a release build without it
## would be a second full build); no $$ORIGIN library path, symbols bound at start-up.
RELEASE_FLAGS := -c release --static-swift-stdlib --disable-local-rpath -Xlinker -z -Xlinker now
RELEASE  := .build/release/overens
VENV     := .venv
PY       := $(VENV)/bin/python

## The version is written once, in Sources/overens/Version.swift.
VERSION  := $(shell sed -n 's/^ *static let version = "\(.*\)"$$/\1/p' Sources/overens/Version.swift)
DEB_ARCH := $(shell dpkg --print-architecture 2>/dev/null || echo amd64)
DEB      := dist/overens_$(VERSION)_$(DEB_ARCH).deb
## What install and dist install: the stripped binary, manual page, completions.
FILES    := .build/dist/files
DEB_WORK := .build/dist/deb

PREFIX   ?= /usr/local
DESTDIR  ?=
BASH_COMPLETION_DIR ?= $(PREFIX)/share/bash-completion/completions
ZSH_COMPLETION_DIR  ?= $(PREFIX)/share/zsh/site-functions
FISH_COMPLETION_DIR ?= $(PREFIX)/share/fish/vendor_completions.d

.PHONY: all site build build-commit deps serve files install uninstall dist dist-deps test test-swift test-site test-browser test-bench test-dist test-deploy browser-deps deploy-deps bench bench-scale bench-ram bench-mustache fuzz clean

all: site

## Markdown needs cmark-gfm and its extensions, images libvips (Debian packages); the
## image tests read every variant's metadata with exiftool.
deps:
	@./scripts/apt-install.sh libcmark-gfm-dev libcmark-gfm-extensions-dev libvips-dev libimage-exiftool-perl

## The commit overens --version names (Sources/overens/BuildCommit.generated.swift).
build-commit:
	@./scripts/build-commit.sh

build: deps build-commit
	$(SWIFT) build $(RELEASE_FLAGS) --product overens

## Build the site into site/.
site: build
	$(RELEASE) build --content content --theme theme --output site

## The preview of content/ on http://127.0.0.1:8000/, rebuilt on every save
## (SERVE_ARGS passes options, e.g. SERVE_ARGS="--port 8080").
serve: build
	$(RELEASE) serve --content content --theme theme $(SERVE_ARGS)

## The binary (stripped), the manual page (swift-argument-parser's generate-manual plugin)
## and shell completions, gathered in $(FILES).
files: build
	./scripts/dist-files.sh $(RELEASE) $(FILES)

## install-files(root, bash, zsh and fish completion folders): what `make install` and
## the package install (root is DESTDIR+PREFIX).
define install-files
	install -d -m 0755 $(1)/bin $(1)/share/man/man1
	install -m 0755 $(FILES)/overens $(1)/bin/overens
	install -m 0644 $(FILES)/man/overens.1.gz $(1)/share/man/man1/overens.1.gz
	install -D -m 0644 $(FILES)/completions/overens.bash $(2)/overens
	install -D -m 0644 $(FILES)/completions/_overens $(3)/_overens
	install -D -m 0644 $(FILES)/completions/overens.fish $(4)/overens.fish
endef

## overens on the PATH, with its manual page and completions (PREFIX, default /usr/local;
## DESTDIR for a staged install).
install: files
	$(call install-files,$(DESTDIR)$(PREFIX),$(DESTDIR)$(BASH_COMPLETION_DIR),$(DESTDIR)$(ZSH_COMPLETION_DIR),$(DESTDIR)$(FISH_COMPLETION_DIR))

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/overens $(DESTDIR)$(PREFIX)/share/man/man1/overens.1.gz \
	  $(DESTDIR)$(BASH_COMPLETION_DIR)/overens $(DESTDIR)$(ZSH_COMPLETION_DIR)/_overens \
	  $(DESTDIR)$(FISH_COMPLETION_DIR)/overens.fish

dist-deps:
	@./scripts/apt-install.sh dpkg-dev lintian

## The Debian package $(DEB): the files installed under /usr where Debian puts them,
## Depends from dpkg-shlibdeps, checked by lintian; the same bytes for the same commit.
dist: dist-deps files
	rm -rf $(DEB_WORK)
	$(call install-files,$(DEB_WORK)/debian/overens/usr,$(DEB_WORK)/debian/overens/usr/share/bash-completion/completions,$(DEB_WORK)/debian/overens/usr/share/zsh/vendor-completions,$(DEB_WORK)/debian/overens/usr/share/fish/vendor_completions.d)
	./scripts/make-deb.sh $(VERSION) $(DEB_WORK) $(DEB)

## Everything CI runs.
test: deps test-swift test-site test-bench test-browser test-deploy test-dist

test-swift: deps build-commit
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

## The committed site/ must be what a fresh build of content/ + theme/ gives.
test-site: build
	@rm -rf .build/fresh-site
	$(RELEASE) build --quiet --content content --theme theme --output .build/fresh-site
	@diff -r site .build/fresh-site >/dev/null || { \
	  echo "site/ differs from a fresh build of content/ and theme/; run 'make site' and commit site/"; \
	  diff -r site .build/fresh-site | head -40; exit 1; }
	@echo "site/ matches a fresh build"

browser-deps:
	./scripts/browser-deps.sh

test-browser: build browser-deps
	$(PY) -m pytest -q tests/browser

## The deploy recipes (docs/DEPLOY.md): deploy/nginx.conf run by Debian's nginx, rsync after
## a change, the GitHub and GitLab workflows against their schemas. Installs nginx, rsync,
## openssl and check-jsonschema (scripts/deploy-deps.sh).
deploy-deps:
	./scripts/deploy-deps.sh

test-deploy: build deploy-deps
	$(PY) -m pytest -q tests/deploy

## The benchmark's corpus and checker on a small corpus, and the no-change rebuild.
test-bench: build
	./bench/test.sh

## Benchmark against Hugo (not part of the tests); figures in bench/RESULTS.md.
## BENCH_ARGS passes options to bench/run.py, e.g. BENCH_ARGS="--sizes 100,1000 --runs 3".
bench: build
	./bench/run.sh $(BENCH_ARGS)

## Scale: 10,000 and 100,000 files, överens and cp -r only (Hugo at 100,000 takes many GiB).
bench-scale: build
	./bench/run.sh --sizes 10000,100000 --hugo-max 0 --runs 3 --skip real,nochange,serve,check --out bench/out-scale $(BENCH_ARGS)

## The same as bench with every corpus and output on a RAM disk (/dev/shm), so that making
## files costs what it costs on a fast disk: what is left is the tools' own work.
BENCH_RAM ?= /dev/shm/overens-bench
bench-ram: build
	./bench/run.sh --out $(BENCH_RAM) --sizes 1000,10000 --skip serve,nochange $(BENCH_ARGS)

## swift-mustache 2.1.1 by itself: the cost of one tag, against writing the same bytes in Swift.
bench-mustache:
	cd bench/mustache-alone && $(SWIFT) build -c release && ./.build/release/mustache-alone

## The package installed with apt in a clean Debian bookworm (debootstrap, kept in
## .build/debootstrap-bookworm), building this repository's site there: it must equal site/.
test-dist: dist
	@./scripts/apt-install.sh debootstrap
	./scripts/test-dist.sh $(DEB)

fuzz:
	FUZZ_TARGET=content ./scripts/fuzz.sh
	FUZZ_TARGET=theme ./scripts/fuzz.sh
	FUZZ_TARGET=escape FUZZ_SECONDS=30 ./scripts/fuzz.sh

clean:
	@! grep -q " $(CURDIR)/.build/" /proc/mounts || { \
	  echo "something is mounted under .build/ (a killed make test-dist?); umount it first:"; \
	  grep " $(CURDIR)/.build/" /proc/mounts; exit 1; }
	rm -rf .build .build-* $(VENV) dist
