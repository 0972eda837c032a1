# shellcheck shell=bash
# lib.sh: what roms/rv32's build scripts share (sourced, not run): progress
# lines, logged steps, input hashes and the cache of built outputs, laid out
# as roms/linux/build-guest lays out its own.
#
# The sourcing script sets `tool` (its name, for messages) before sourcing.
# Outputs live under ${EMBER_CACHE:-~/.cache/ember}/rv32, a folder of their
# own: roms/linux/build-guest --prune deletes what it does not use in guest/.

tool=${tool:?lib.sh: set tool before sourcing}
cache=${EMBER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ember}/rv32
mkdir -p "$cache"
start=$SECONDS

say() { printf '%s: [%s] %s\n' "$tool" "$(elapsed)" "$*" >&2; }
elapsed() {
    local s=$((SECONDS - start))
    printf '%d:%02d' $((s / 60)) $((s % 60))
}

# run LOG WHAT CMD...: runs CMD with its output in LOG, saying every 30 s that
# WHAT is still going; on failure shows the end of LOG.
run() {
    local log=$1 what=$2
    shift 2
    "$@" >"$log" 2>&1 &
    local pid=$! tick=0
    while kill -0 "$pid" 2>/dev/null; do
        sleep 1
        if ((++tick % 30 == 0)); then
            say "$what: still running"
        fi
    done
    if ! wait "$pid"; then
        tail -n 40 "$log" >&2
        say "$what: FAILED (full log: $log)"
        return 1
    fi
}

pkg_version() {
    dpkg-query -W -f='${Version}' "$1" 2>/dev/null || {
        echo "$tool: package $1 is not installed (run scripts/setup)" >&2
        exit 1
    }
}

# source_version PKG: the newest version of source package PKG apt knows
# (scripts/setup adds the deb-src entries).
source_version() {
    local v
    v=$(apt-cache showsrc --only-source "$1" 2>/dev/null | sed -n 's/^Version: //p' | sort -V | tail -n 1)
    if [[ -z $v ]]; then
        echo "$tool: no $1 source package (run scripts/setup for the deb-src entries)" >&2
        return 1
    fi
    echo "$v"
}

# key NAME INPUTS...: a short hash of the named function's text and INPUTS
# (file contents or plain strings).
key() {
    local fn=$1
    shift
    {
        declare -f "$fn"
        for input in "$@"; do
            if [[ -f $input ]]; then cat "$input"; else printf '%s\n' "$input"; fi
        done
    } | sha256sum | cut -c1-16
}

# cached NAME HASH BUILDER: the cache folder for NAME-HASH, built by BUILDER
# (called with a scratch folder to fill) when it does not exist yet. The
# scratch folder is renamed into place only when complete, so an interrupted
# build never leaves a broken entry; its work/ subfolder is dropped. A failed
# build leaves its logs in its scratch folder (--prune deletes it).
cached() {
    local name=$1 hash=$2 builder=$3
    local dir=$cache/$name-$hash
    if [[ ! -d $dir ]]; then
        local scratch
        scratch=$(mktemp -d "$cache/.$name-$hash.XXXXXX")
        chmod 755 "$scratch"
        say "$name: building (cache $dir)"
        # The builder runs with errexit in force: in a condition (if !, ||)
        # bash would ignore it, and a failed step would go unnoticed.
        local status=0
        set +e
        (
            set -e
            "$builder" "$scratch"
        )
        status=$?
        set -e
        if ((status != 0)); then
            rm -rf "$scratch/work"
            say "$name: FAILED (logs in $scratch)"
            exit 1
        fi
        rm -rf "$scratch/work"
        # Cached files are shared by every run: nothing may write to them.
        chmod -R a-w "$scratch"
        chmod u+w "$scratch"
        mv -T "$scratch" "$dir"
        say "$name: done"
    fi
    echo "$dir"
}

# prune KEEP...: deletes the other entries of the kinds KEEP are (the names
# before their hashes), and failed builds' scratch folders of those kinds, so
# each script prunes only what it builds.
prune() {
    local keep dir name
    for keep in "$@"; do
        name=$(basename "${keep%-*}")
        for dir in "$cache/$name"-* "$cache/.$name"-*; do
            [[ -d $dir && $dir != "$keep" ]] || continue
            say "prune: removing $dir"
            chmod -R u+w "$dir" && rm -rf "$dir"
        done
    done
}
