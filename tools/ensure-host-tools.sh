#!/usr/bin/env bash
# ensure-host-tools.sh -- check (and as root on Debian/Ubuntu, install) the host tools that build and boot the ISO.
#
# This file is the single source of the host package list. Each line of TOOLS is
#   <debian-package> <check>
# where <check> is a command name looked up in PATH or an absolute path that must exist.
# Fast path: when every check passes, it prints nothing (unless -v) and exits 0 without touching apt.
#
# usage: tools/ensure-host-tools.sh [-q|--quiet] [-v|--verbose] [--check]
#   --check   only check; never install (exit 2 when something is missing)
# exit: 0 all present (possibly after installing), 2 something missing and not installable here.
set -euo pipefail

TOOLS=(
    "qemu-system-x86    qemu-system-x86_64"
    "grub-common        grub-mkrescue"
    "grub-pc-bin        /usr/lib/grub/i386-pc"
    "grub-efi-amd64-bin /usr/lib/grub/x86_64-efi"
    "xorriso            xorriso"
    "mtools             mformat"
    "dosfstools         mkfs.fat"
    "dosfstools         fsck.fat"
    "gdisk              sgdisk"
    "nasm               nasm"
    "binutils           ld"
    "ovmf               /usr/share/OVMF/OVMF_CODE_4M.fd"
    "ovmf               /usr/share/OVMF/OVMF_VARS_4M.fd"
    "busybox-static     /bin/busybox"
    "gcc                gcc"
    "libc6-dev          /usr/lib/x86_64-linux-gnu/libc.a"
)

quiet=0 verbose=0 check_only=0
for arg in "$@"; do
    case "$arg" in
        -q|--quiet) quiet=1 ;;
        -v|--verbose) verbose=1 ;;
        --check) check_only=1 ;;
        -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "ensure-host-tools: unknown argument '$arg'" >&2; exit 2 ;;
    esac
done

say() { [[ $quiet == 1 ]] || echo "ensure-host-tools: $*" >&2; }

# Prints the Debian packages whose check fails, one per line, deduplicated.
missing_packages() {
    local entry pkg check seen=" "
    for entry in "${TOOLS[@]}"; do
        read -r pkg check <<<"$entry"
        if [[ $check == /* ]]; then
            [[ -e $check ]] && continue
        else
            command -v "$check" >/dev/null 2>&1 && continue
        fi
        [[ $verbose == 1 ]] && echo "ensure-host-tools: missing $check (package $pkg)" >&2
        [[ $seen == *" $pkg "* ]] && continue
        seen+="$pkg "
        echo "$pkg"
    done
}

mapfile -t missing < <(missing_packages)
if [[ ${#missing[@]} -eq 0 ]]; then
    [[ $verbose == 1 ]] && echo "ensure-host-tools: all host tools present" >&2
    exit 0
fi

install_cmd="apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${missing[*]}"
is_debian=0
[[ -r /etc/os-release ]] && grep -qiE '^(ID|ID_LIKE)=.*(debian|ubuntu)' /etc/os-release && is_debian=1
if [[ $check_only == 0 && $is_debian == 1 && $(id -u) == 0 ]] && command -v apt-get >/dev/null 2>&1; then
    say "installing: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    # Another apt run (e.g. a concurrent session) may hold the lock: wait for it rather than fail.
    apt_opts=(-o DPkg::Lock::Timeout=300)
    if [[ $quiet == 1 ]]; then
        apt-get "${apt_opts[@]}" update -qq >/dev/null
        apt-get "${apt_opts[@]}" install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    else
        apt-get "${apt_opts[@]}" update >&2
        apt-get "${apt_opts[@]}" install -y --no-install-recommends "${missing[@]}" >&2
    fi
    mapfile -t still < <(missing_packages)
    if [[ ${#still[@]} -eq 0 ]]; then
        say "host tools installed"
        exit 0
    fi
    echo "ensure-host-tools: still missing after install: ${still[*]}" >&2
    exit 2
fi

echo "ensure-host-tools: missing host tools (packages: ${missing[*]})." >&2
if [[ $is_debian == 1 ]]; then
    echo "ensure-host-tools: run as root:  $install_cmd" >&2
else
    echo "ensure-host-tools: install the equivalents of these Debian packages: ${missing[*]}" >&2
fi
exit 2
