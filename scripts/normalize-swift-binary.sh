#!/usr/bin/env bash
# Makes a linked Swift binary the same bytes on every compilation of the same sources.
#
# swiftc writes into every object file a 16-byte hash of its LLVM module (section
# .swift_modhash), which the compiler itself reads back from the object to skip rewriting
# it when nothing changed. Its value differs between two compilations of the same source
# (measured here: two clean release builds of one commit differed there and nowhere else),
# and nothing reads it at run time. This zeroes the section in place (the layout does not
# change) and sets the GNU build ID, which the linker computed over bytes that included
# it, to the SHA-1 of the file with the ID zeroed: still unique to the contents.
#
# Usage: scripts/normalize-swift-binary.sh BINARY
set -euo pipefail
bin=$1

# "<offset> <size>" in hex of a section, from readelf's table.
section() {
  readelf -S -W "$bin" | sed -n "s/^ *\[ *[0-9]*\] $1 *[A-Z_]* *[0-9a-f]* \([0-9a-f]*\) \([0-9a-f]*\) .*/\1 \2/p"
}
zero() {  # offset size (decimal)
  head -c "$2" /dev/zero | dd of="$bin" bs=4096 seek="$1" oflag=seek_bytes conv=notrunc status=none
}

read -r off size <<<"$(section '\.swift_modhash')" || true
if [ -n "${off:-}" ]; then
  zero $((16#$off)) $((16#$size))
fi

read -r noff nsize <<<"$(section '\.note\.gnu\.build-id')" || true
if [ -n "${noff:-}" ]; then
  # The note: namesz, descsz, type (4 bytes each), "GNU\0", then the ID (descsz bytes).
  id_off=$((16#$noff + 16))
  id_size=$((16#$nsize - 16))
  [ "$id_size" -gt 0 ] && [ "$id_size" -le 20 ] || { echo "normalize: unexpected build ID note" >&2; exit 1; }
  zero "$id_off" "$id_size"
  hex=$(sha1sum "$bin" | cut -c1-$((id_size * 2)))
  # shellcheck disable=SC2059
  printf "$(sed 's/../\\x&/g' <<<"$hex")" | dd of="$bin" bs=4096 seek="$id_off" oflag=seek_bytes conv=notrunc status=none
fi
