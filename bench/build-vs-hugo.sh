#!/usr/bin/env bash
# Builds the same synthetic 10,000-record site with sbiz and with Hugo, side
# by side, and prints the ratio of medians (a rebuild after a one-file
# change, a rebuild with nothing changed, a clean build on disk and one on
# tmpfs), each one's peak memory and the bytes each one writes. The Hugo side renders the records with the
# templates of bench/hugo/ (copied in by `sbiz synth --hugo`), which write
# the same markup as the default theme (header, menu, footer, cards, detail
# fields, forms), so that both do about the same work per page.
#   bench/build-vs-hugo.sh [records] [runs]
# Needs Debian's `hugo` and `hyperfine` (apt-get install hugo hyperfine).
set -euo pipefail
cd "$(dirname "$0")/.."
records=${1:-10000}
runs=${2:-7}
work=$(mktemp -d)
# The tmpfs copy of both sites and their outputs (RAM: removed at the end).
shm=$(mktemp -d -p /dev/shm)
trap 'rm -rf "$work" "$shm"' EXIT
load() { echo "load average $1: $(cut -d' ' -f1-3 /proc/loadavg)"; }
load "at the start"
cargo build --release -p sbiz-generator --quiet
./target/release/sbiz synth --out "$work/site" --records "$records" --hugo "$work/hugo" >/dev/null
sbiz_cmd="./target/release/sbiz --root $work/site build --now 2026-06-01 --out $work/out-sbiz"
hugo_cmd="hugo --source $work/hugo --destination $work/out-hugo --quiet"
median() {
python3 - "$1" "$2" <<'PY'
import json, sys, statistics
r = {x["command"]: statistics.median(x["times"]) for x in json.load(open(sys.argv[1]))["results"]}
print(f"{sys.argv[2]}: median sbiz {r['sbiz']:.3f} s, hugo {r['hugo']:.3f} s, hugo/sbiz = {r['hugo']/r['sbiz']:.2f}x")
PY
}
# Rebuilds over the previous output (what editors and CI do most); two
# warm-up runs, so that both of sbiz's folders hold a build and its manifest.
hyperfine --warmup 2 --runs "$runs" --export-json "$work/warm.json" -n sbiz "$sbiz_cmd" -n hugo "$hugo_cmd" >&2
# A rebuild after a one-file change: before each run, one notice (the same
# record on both sides) gets a new paragraph at the end of its text.
edit="printf '\n\n고친 문단 %s\n' \$(date +%s%N) | tee -a $work/site/content/notices/notice-17.md >> $work/hugo/content/notices/notice-17.md"
hyperfine --warmup 1 --runs "$runs" --export-json "$work/one.json" --prepare "$edit" \
  -n sbiz "$sbiz_cmd" -n hugo "$hugo_cmd" >&2
load "after the rebuilds"
# Clean builds, in DIR (the site, the Hugo site and both outputs), the two
# tools alternating (sbiz first in odd rounds, Hugo first in even ones).
# Before each run every output (and sbiz's staging folder and manifests)
# is moved into DIR/old, which is deleted at the end, and `sync` writes out
# what the last run left dirty. Moved, not deleted: on ext4 without a
# journal (this machine's), creating a file skips every inode freed in the
# last minute (five when its block is not written yet), one look-up each,
# so a 16,000-file `rm -rf` just before a run cost that run seconds of
# system time (bench/README.md). Prints the median wall time, the median
# CPU time (user + system) and the highest peak memory of each.
clean_builds() {
  local dir=$1 label=$2 i name order
  mkdir -p "$dir/old"
  : >"$dir/times"
  for i in $(seq "$runs"); do
    order="sbiz hugo"
    ((i % 2)) || order="hugo sbiz"
    for name in $order; do
      mkdir "$dir/old/$i-$name"
      mv "$dir"/out-* "$dir/old/$i-$name/" 2>/dev/null || true
      sync
      if [[ $name == sbiz ]]; then
        cmd="./target/release/sbiz --root $dir/site build --now 2026-06-01 --out $dir/out-sbiz"
      else
        cmd="hugo --source $dir/hugo --destination $dir/out-hugo --quiet"
      fi
      /usr/bin/time -f "$name %e %U %S %M" -a -o "$dir/times" $cmd >/dev/null 2>&1
    done
  done
  rm -rf "$dir/old"
  python3 - "$dir/times" "$label" <<'PY'
import sys, statistics
runs = {}
for line in open(sys.argv[1]):
    name, wall, user, sys_, kb = line.split()
    runs.setdefault(name, []).append((float(wall), float(user) + float(sys_), int(kb)))
m = {n: (statistics.median(w for w, _, _ in r), statistics.median(c for _, c, _ in r),
         max(k for _, _, k in r)) for n, r in runs.items()}
s, h = m["sbiz"], m["hugo"]
print(f"{sys.argv[2]}: median sbiz {s[0]:.3f} s (CPU {s[1]:.2f} s), hugo {h[0]:.3f} s (CPU {h[1]:.2f} s), "
      f"hugo/sbiz = {h[0]/s[0]:.2f}x (CPU {h[1]/s[1]:.2f}x); peak memory sbiz {s[2]//1024} MB, hugo {h[2]//1024} MB")
PY
}
cp -a "$work/site" "$work/hugo" "$shm/"
clean_builds "$work" "clean build on disk ($(df --output=fstype "$work" | tail -n 1))" >"$work/clean-disk.txt"
load "after the clean builds on disk"
clean_builds "$shm" "clean build on tmpfs" >"$work/clean-tmpfs.txt"
load "after the clean builds on tmpfs"
median "$work/one.json" "rebuild after a one-file change"
median "$work/warm.json" "rebuild, nothing changed"
cat "$work/clean-disk.txt" "$work/clean-tmpfs.txt"
for name in sbiz hugo; do
  cmd=${name}_cmd
  /usr/bin/time -f "$name peak memory: %M KB" ${!cmd} >/dev/null 2>"$work/$name.time" || true
  tail -n 1 "$work/$name.time"
  # The same after a one-file change (sbiz renders only what it affects).
  sh -c "$edit"
  /usr/bin/time -f "$name peak memory after a one-file change: %M KB" ${!cmd} >/dev/null 2>"$work/$name.time" || true
  tail -n 1 "$work/$name.time"
done
# Bytes written: HTML pages (Hugo's include one tiny redirect per paginated
# list, its /page/1/), and every file (sbiz also writes feeds, calendars,
# open data, the search index and catalog.json; Hugo a sitemap).
for name in sbiz hugo; do
  find "$work/out-$name" -type f -printf '%s %p\n' | awk -v n="$name" '
    { all += $1; files++ } $2 ~ /\.html$/ { html += $1; pages++ }
    END { printf "%s wrote: %d HTML pages, %d bytes (%.0f bytes/page); %d files, %d bytes in all\n", n, pages, html, html / pages, files, all }'
done
