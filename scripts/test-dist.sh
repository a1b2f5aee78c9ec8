#!/usr/bin/env bash
# Proves the Debian package installs and works on a clean machine with no Swift:
#
# 1. A minimal Debian bookworm (`debootstrap --variant=minbase`) is made once and kept in
#    .build/debootstrap-bookworm; its package lists are refreshed when a day old.
# 2. Each run works on a fresh copy of it (.build/test-dist-root), with /proc mounted and
#    apt's downloaded packages kept in .build/debootstrap-apt-archives between runs; both
#    mounts are undone on any exit.
# 3. In the copy: `apt-get install ./overens_<version>_<arch>.deb` (only what Depends
#    names: no recommends), then no Swift anywhere, every library found, `overens
#    --version`, the manual page found by `man -w`, the completions loadable, and this
#    repository's content/ and theme/ built with /usr/bin/overens: the result must equal
#    site/ byte for byte. `overens serve` must answer on loopback.
#
# Needs root (debootstrap, chroot, mount): run through sudo otherwise.
#
# Usage: scripts/test-dist.sh dist/overens_<version>_<arch>.deb
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" != 0 ]; then exec sudo "$0" "$@"; fi

deb=$1
version=$(sed -n 's/^ *static let version = "\(.*\)"$/\1/p' Sources/overens/Version.swift)
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
security_mirror=${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
base=.build/debootstrap-bookworm
root=.build/test-dist-root
archives=.build/debootstrap-apt-archives
start=$(date +%s)

say() { printf 'test-dist: [%3d s] %s\n' "$(( $(date +%s) - start ))" "$*"; }
fail() { printf 'test-dist: FAIL: %s\n' "$*" >&2; exit 1; }

# Mount points under a folder, deepest first.
mounts_under() {
  local dir
  dir=$(realpath -m "$1")
  awk -v d="$dir" '$2 == d || index($2, d "/") == 1 { print $2 }' /proc/mounts | sort -r
}
unmount_under() {
  local m
  for m in $(mounts_under "$1"); do
    umount "$m" 2>/dev/null || umount -l "$m"
  done
}
# Removes a chroot folder, never while anything is mounted in it (rm -rf would go on
# into the host's /proc or the kept archives).
remove_tree() {
  unmount_under "$1"
  [ -z "$(mounts_under "$1")" ] || fail "something is still mounted under $1; not removing it"
  rm -rf "$1"
}
serve_pid=""
cleanup() {
  if [ -n "$serve_pid" ]; then kill "$serve_pid" 2>/dev/null || true; wait "$serve_pid" 2>/dev/null || true; fi
  unmount_under "$root"
  unmount_under "$base"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Runs a command in a chroot with a clean environment.
in_chroot() {
  local dir=$1; shift
  chroot "$dir" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
    DEBIAN_FRONTEND=noninteractive "$@"
}
with_proc() {
  mkdir -p "$1/proc"
  mountpoint -q "$1/proc" || mount -t proc proc "$1/proc"
}

[ -f "$deb" ] || fail "no package at $deb (make dist makes it)"

# 1. The base system, made once.
if [ ! -f "$base/.overens-base-complete" ]; then
  say "making a minimal Debian bookworm in $base (once)"
  remove_tree "$base.partial"
  remove_tree "$base"
  debootstrap --variant=minbase bookworm "$base.partial" "$mirror" >.build/debootstrap.log 2>&1 || {
    tail -20 .build/debootstrap.log >&2; fail "debootstrap failed (log: .build/debootstrap.log)"; }
  cat >"$base.partial/etc/apt/sources.list" <<EOF
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb $security_mirror bookworm-security main
EOF
  rm -f "$base.partial"/var/cache/apt/archives/*.deb
  touch "$base.partial/.overens-base-complete"
  mv "$base.partial" "$base"
fi
if [ -z "$(find "$base/.overens-lists-updated" -mmin -1440 2>/dev/null)" ]; then
  say "refreshing the package lists of $base"
  cp /etc/resolv.conf "$base/etc/resolv.conf"
  with_proc "$base"
  in_chroot "$base" apt-get update -qq || fail "apt-get update failed in $base"
  unmount_under "$base"
  touch "$base/.overens-lists-updated"
fi

# 2. A fresh copy for this run.
say "copying $base to $root"
remove_tree "$root"
cp -a "$base" "$root"
cp /etc/resolv.conf "$root/etc/resolv.conf"
with_proc "$root"
mkdir -p "$archives/partial"
mount --bind "$archives" "$root/var/cache/apt/archives"

# 3. Install the package as an editor would.
name=$(basename "$deb")
cp "$deb" "$root/tmp/$name"
say "apt-get install ./$name in a clean bookworm"
in_chroot "$root" sh -c "cd /tmp && apt-get install -y -qq --no-install-recommends ./$name" \
  >.build/test-dist-apt.log 2>&1 || { tail -30 .build/test-dist-apt.log >&2; fail "apt-get install failed"; }

in_chroot "$root" sh -c 'command -v swift swiftc' && fail "a Swift toolchain is in the test system"
[ -z "$(find "$root/usr" -name 'libswiftCore*' -print -quit)" ] || fail "a Swift runtime library is in the test system"
ldd_out=$(in_chroot "$root" ldd /usr/bin/overens)
! grep -q "not found" <<<"$ldd_out" || { echo "$ldd_out" >&2; fail "libraries not found"; }

version_line=$(in_chroot "$root" overens --version)
[[ $version_line =~ ^overens\ $version\ \([0-9a-f]{7,}(-dirty)?\)$ ]] \
  || fail "overens --version says '$version_line', expected 'overens $version (<commit>)'"
say "$version_line"

say "installing man-db to look for the manual page"
# The manual page, with man-db installed after the package (it is not one of its dependencies).
in_chroot "$root" apt-get install -y -qq --no-install-recommends man-db >>.build/test-dist-apt.log 2>&1 \
  || { tail -20 .build/test-dist-apt.log >&2; fail "installing man-db failed"; }
where=$(in_chroot "$root" man -w overens) || fail "man -w overens finds nothing"
[ "$where" = /usr/share/man/man1/overens.1.gz ] || fail "man -w overens: $where"
in_chroot "$root" sh -c 'MANWIDTH=80 man overens 2>&1 >/dev/null' | grep . && fail "man overens complains"
in_chroot "$root" sh -c 'MANWIDTH=80 man overens' | grep -q "overens serve\|serve" || fail "man overens shows no serve"

# Completions where the shells look for them; bash's must load.
for f in /usr/share/bash-completion/completions/overens /usr/share/zsh/vendor-completions/_overens \
         /usr/share/fish/vendor_completions.d/overens.fish; do
  [ -s "$root$f" ] || fail "missing $f"
done
in_chroot "$root" bash -c 'source /usr/share/bash-completion/completions/overens && complete -p overens' >/dev/null \
  || fail "the bash completion does not load"

# 4. This repository's site, built by the installed binary.
mkdir -p "$root/tmp/repo"
cp -a content theme "$root/tmp/repo/"
say "building content/ and theme/ with /usr/bin/overens"
in_chroot "$root" sh -c 'cd /tmp/repo && overens check --content content --theme theme && overens build --content content --theme theme --output site' \
  || fail "overens check or build failed in the test system"
diff -r site "$root/tmp/repo/site" >.build/test-dist-diff.txt 2>&1 || {
  head -40 .build/test-dist-diff.txt >&2
  fail "the site built by the installed package differs from site/ (all of it: .build/test-dist-diff.txt)"; }
say "the installed package builds site/ byte for byte ($(find site -type f | wc -l) files)"

# 4b. A photo: libvips is opened only when an image needs it, so ldd above does not show it
# and only a build with a photo proves the package's Depends bring it.
mkdir -p "$root/tmp/photo"
cp -a content theme "$root/tmp/photo/"
mkdir -p "$root/tmp/photo/content/images"
cp tests/browser/fixtures/forum.jpg "$root/tmp/photo/content/images/forum.jpg"
printf 'forum.jpg: { credit: Anna Andersson }\n' >"$root/tmp/photo/content/images/credits.yml"
news=$(find content/news -name '*.md' | sort | head -1)
[ -n "$news" ] || fail "content/news has no entry to show the photo in"
printf '\n![Färgtoning](image:forum.jpg "Test")\n' >>"$root/tmp/photo/$news"
say "building a site with a photo with /usr/bin/overens"
in_chroot "$root" sh -c 'cd /tmp/photo && overens build --content content --theme theme --output site' \
  >.build/test-dist-photo.log 2>&1 || { cat .build/test-dist-photo.log >&2; fail "a site with a photo does not build"; }
[ -n "$(find "$root/tmp/photo/site" -name 'forum*.webp' -print -quit)" ] || fail "the photo's WebP variants are missing"
say "the installed package builds a site with a photo (libvips found)"

# 5. The preview answers on loopback.
port=$(( 20000 + RANDOM % 20000 ))
# chroot, env and sh each exec the next, so $! is overens itself.
chroot "$root" /usr/bin/env -i PATH=/usr/bin:/bin HOME=/root LANG=C.UTF-8 \
  sh -c "cd /tmp/repo && exec overens serve --port $port" >.build/test-dist-serve.log 2>&1 &
serve_pid=$!
answered=""
for _ in $(seq 1 100); do
  if curl -sf -o "$root/tmp/served.html" "http://127.0.0.1:$port/"; then answered=1; break; fi
  kill -0 "$serve_pid" 2>/dev/null || break
  sleep 0.1
done
kill "$serve_pid" 2>/dev/null || true
wait "$serve_pid" 2>/dev/null || true
serve_pid=""
[ -n "$answered" ] || { cat .build/test-dist-serve.log >&2; fail "overens serve did not answer on port $port"; }
grep -q "<html" "$root/tmp/served.html" || fail "overens serve's home page is not HTML"
say "overens serve answers on 127.0.0.1:$port"

say "passed in $(( $(date +%s) - start )) s"
