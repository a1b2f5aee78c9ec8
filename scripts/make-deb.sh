#!/usr/bin/env bash
# Makes the Debian package from a staged tree (the files `make install` puts under /usr):
# adds the documentation Debian wants, computes Depends with dpkg-shlibdeps, writes
# DEBIAN/control with dpkg-gencontrol, builds with dpkg-deb and checks with lintian (any
# error fails; warnings are printed).
#
# Reproducible: every date comes from SOURCE_DATE_EPOCH (the last commit's date), files are
# owned by root and have fixed modes, compressed without names or times; the same tree
# gives the same .deb bytes.
#
# Usage: scripts/make-deb.sh VERSION WORKDIR DEB
#   WORKDIR/debian/overens is the staged tree; WORKDIR/debian/ gets control and changelog
#   as dpkg-shlibdeps and dpkg-gencontrol expect them.
set -euo pipefail
umask 022
cd "$(dirname "$0")/.."
version=$1
work=$2
deb=$3
package=overens
root=$work/debian/$package

: "${SOURCE_DATE_EPOCH:=$(git log -1 --format=%ct 2>/dev/null || stat -c %Y Package.swift)}"
export SOURCE_DATE_EPOCH

[ -x "$root/usr/bin/overens" ] || { echo "make-deb: nothing staged in $root" >&2; exit 1; }
grep -q "^## \[$version\] - " CHANGELOG.md || {
  echo "make-deb: CHANGELOG.md has no entry '## [$version] - YYYY-MM-DD'; add one before packaging $version" >&2
  exit 1
}

cp packaging/debian/control "$work/debian/control"
maintainer=$(sed -n 's/^Maintainer: //p' packaging/debian/control)

# debian/changelog, in Debian's format, from CHANGELOG.md's released versions (newest
# first, as there): one item per list item or paragraph, wrapped to 80 columns.
debian_changelog() {
  local section="" date="" item="" started=0
  flush_item() {
    [ -n "$item" ] || return 0
    printf '%s\n' "$item" | fmt -w 76 | sed '1s/^/  * /; 2,$s/^/    /'
    item=""
  }
  close_entry() {
    flush_item
    if [ "$started" = 1 ]; then
      printf '\n -- %s  %s\n\n' "$maintainer" "$(date -u -R -d "$date 12:00:00")"
    fi
  }
  while IFS= read -r line; do
    if [[ $line =~ ^##\ \[([0-9]+\.[0-9]+\.[0-9]+[^]]*)\]\ -\ ([0-9]{4}-[0-9]{2}-[0-9]{2}) ]]; then
      close_entry
      date=${BASH_REMATCH[2]}
      printf '%s (%s) unstable; urgency=medium\n\n' "$package" "${BASH_REMATCH[1]}"
      started=1 section=""
    elif [[ $line =~ ^##\  ]]; then
      close_entry
      started=0
    elif [ "$started" = 1 ]; then
      if [[ $line =~ ^###\ (.*) ]]; then
        flush_item; section=${BASH_REMATCH[1]}
      elif [[ $line =~ ^-\ (.*) ]]; then
        flush_item; item="${section:+$section: }${BASH_REMATCH[1]}"
      elif [[ $line =~ ^[[:space:]]*$ ]]; then
        flush_item
      elif [ -n "$item" ]; then
        item="$item ${line#"${line%%[![:space:]]*}"}"
      else
        item=$line
      fi
    fi
  done <CHANGELOG.md
  close_entry
}
debian_changelog | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}' >"$work/debian/changelog"
head -1 "$work/debian/changelog" | grep -q "^$package ($version) " || {
  echo "make-deb: the newest release in CHANGELOG.md is not $version" >&2; exit 1; }

# The documentation Debian expects of every package.
doc=$root/usr/share/doc/$package
install -d -m 0755 "$doc"
install -m 0644 packaging/debian/copyright "$doc/copyright"
gzip -9n <"$work/debian/changelog" >"$doc/changelog.gz"
gzip -9n <README.md >"$doc/README.md.gz"
chmod 0644 "$doc"/*.gz
# What lintian reports and is so on purpose, each with its reason.
install -D -m 0644 packaging/debian/overens.lintian-overrides "$root/usr/share/lintian/overrides/$package"

# Depends from the libraries the binary needs, then DEBIAN/control.
(
  cd "$work"
  rm -f debian/$package.substvars debian/files
  echo "misc:Depends=" >debian/$package.substvars
  install -d -m 0755 "debian/$package/DEBIAN"
  # overens opens libvips only when an image needs it (dlopen), which dpkg-shlibdeps
  # cannot see: a stub linked to libvips alone stands in for that use. Swift's clang is
  # there wherever overens was built (its C targets need it); cc may not be.
  "${CC:-clang}" -x c -o vips-stub - -Wl,--no-as-needed -lvips <<<'int main(void) { return 0; }'
  dpkg-shlibdeps -Tdebian/$package.substvars "debian/$package/usr/bin/overens" vips-stub
  rm -f vips-stub
  dpkg-gencontrol -p$package -v"$version" -Tdebian/$package.substvars -Pdebian/$package
)
chmod 0644 "$root/DEBIAN/control"

# md5sums, then one time for every file.
(
  cd "$root"
  find . -path ./DEBIAN -prune -o -type f -printf '%P\n' | LC_ALL=C sort | xargs -d '\n' md5sum >DEBIAN/md5sums
)
chmod 0644 "$root/DEBIAN/md5sums"
find "$root" -type d -exec chmod 0755 {} +
find "$root" -exec touch --no-dereference --date="@$SOURCE_DATE_EPOCH" {} +

mkdir -p "$(dirname "$deb")"
rm -f "$deb"
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb"

echo "Depends: $(sed -n 's/^Depends: //p' "$root/DEBIAN/control")"
echo "Installed-Size: $(sed -n 's/^Installed-Size: //p' "$root/DEBIAN/control") KiB; package: $(stat -c %s "$deb") bytes"

# lintian: errors fail the build; warnings, info and pedantic tags are shown, except
# spelling-error-in-binary, which here finds only words inside the Swift runtime, Foundation
# and ICU linked into the binary (ADDRES, Portugese, ...), none of overens' own.
lintian --fail-on error --display-info --pedantic --suppress-tags spelling-error-in-binary "$deb" || {
  echo "make-deb: lintian reports errors in $deb" >&2; exit 1; }
