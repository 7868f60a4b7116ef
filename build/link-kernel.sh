#!/usr/bin/env bash
# link-kernel.sh -- managed IL to kernel.elf: ILC, nasm, then ld passes until the image carries its own symbol
# table (.ksyms): code symbols, plus the MethodTable symbols (_ZTV*, data) that name an exception's type on the
# panic screen. .ksyms sits after all code, so filling it in moves no code address; it can move data once, so the
# link repeats until the table it embeds is the table it describes (checked below).
# usage: link-kernel.sh ILC RSP BOOT_DIR OUT_DIR
set -euo pipefail
ilc=$1 rsp=$2 boot=$3 out=$4
obj="$out/obj"
root=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$obj"

if [ -x "$root/tools/ensure-host-tools.sh" ] || [ -f "$root/tools/ensure-host-tools.sh" ]; then
  bash "$root/tools/ensure-host-tools.sh"
fi
for tool in nasm ld nm; do
  command -v "$tool" >/dev/null || { echo "link-kernel.sh: error: '$tool' is missing; run: sudo apt-get install -y nasm binutils" >&2; exit 2; }
done

"$ilc" @"$rsp"

objects=("$obj/managed.o")
for asm in "$boot"/*.asm; do
  o="$obj/$(basename "${asm%.asm}").o"
  nasm -f elf64 -i "$obj/" -o "$o" "$asm"   # -i: generated blobs (font.bin) are incbin'd from obj/
  objects+=("$o")
done

link() { # $1 = symbol table file to embed, $2 = output
  printf 'section .ksyms progbits alloc noexec nowrite align=8\nincbin "%s"\nsection .note.GNU-stack noalloc noexec nowrite progbits\n' "$1" > "$obj/ksyms.asm"
  nasm -f elf64 -o "$obj/ksyms.o" "$obj/ksyms.asm"
  ld -n -nostdlib -static -z max-page-size=0x1000 --no-warn-rwx-segments --eh-frame-hdr -T "$boot/linker.ld" \
     -o "$2" "${objects[@]}" "$obj/ksyms.o" -Map "$2.ldmap"
}

# Code symbols and MethodTables (type names for the panic screen), sorted by address.
image_symbols() { nm -n --defined-only "$1" | awk '$2 ~ /^[tTwW]$/ || ($2 ~ /^[dD]$/ && $3 ~ /^_ZTV/) { printf "%016s %s\n", $1, $3 }'; }

: > "$obj/empty.syms"
link "$obj/empty.syms" "$obj/pass1.elf"
image_symbols "$obj/pass1.elf" > "$obj/kernel.syms"
settled=
for pass in 2 3; do
  link "$obj/kernel.syms" "$obj/pass$pass.elf"
  image_symbols "$obj/pass$pass.elf" > "$obj/pass$pass.syms"
  if cmp -s "$obj/kernel.syms" "$obj/pass$pass.syms"; then settled=$pass; break; fi
  cp "$obj/pass$pass.syms" "$obj/kernel.syms"
done
if [ -z "$settled" ]; then
  echo "link-kernel.sh: error: the embedded symbol table keeps moving symbols; check linker.ld keeps .ksyms after all text" >&2
  exit 1
fi
cp "$obj/pass$settled.elf" "$out/kernel.elf"
cp "$obj/kernel.syms" "$out/kernel.map"
echo "kernel: $out/kernel.elf ($(stat -c %s "$out/kernel.elf") bytes, $(wc -l < "$out/kernel.map") symbols)"
