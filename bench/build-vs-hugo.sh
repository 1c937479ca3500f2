#!/usr/bin/env bash
# Builds the same synthetic 10,000-record site with sbiz and with Hugo, side
# by side, and prints the ratio of medians (a rebuild after a one-file
# change, a rebuild with nothing changed, a clean build), each one's peak
# memory and the bytes each one writes. The Hugo side renders the records with the
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
trap 'rm -rf "$work"' EXIT
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
# Clean builds: every output (and sbiz's staging folder) removed first.
hyperfine --runs "$runs" --export-json "$work/cold.json" \
  --prepare "rm -rf $work/out-sbiz $work/out-sbiz.* $work/out-hugo; sync" \
  -n sbiz "$sbiz_cmd" -n hugo "$hugo_cmd" >&2
median "$work/one.json" "rebuild after a one-file change"
median "$work/warm.json" "rebuild, nothing changed"
median "$work/cold.json" "clean build"
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
