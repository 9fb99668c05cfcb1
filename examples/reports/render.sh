#!/usr/bin/env bash
# Regenerates the example reports from the synthetic case
# examples/cases/adolescent_kaunas_review.yaml (a START:AV history): the HTML in English
# and Lithuanian, the Markdown and JSON in English, and a screenshot of the English HTML
# rendered by headless Chromium. CTest checks that the HTML, Markdown and JSON here are
# what the CLI writes (report_example_*).
#
#   examples/reports/render.sh [KELIAS]    (default: build/release/bin/kelias)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
kelias=${1:-$root/build/release/bin/kelias}
case_file=examples/cases/adolescent_kaunas_review.yaml
cd "$root"
"$kelias" report "$case_file" --lang en -o "$here/adolescent_kaunas_review.en.html"
"$kelias" report "$case_file" --lang lt -o "$here/adolescent_kaunas_review.lt.html"
"$kelias" report "$case_file" --format md -o "$here/adolescent_kaunas_review.en.md"
"$kelias" report "$case_file" --format json -o "$here/adolescent_kaunas_review.en.json"
chmod 0644 "$here"/adolescent_kaunas_review.*
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
HOME=$scratch chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$scratch/profile" \
    --window-size=1000,2400 --screenshot="$here/adolescent_kaunas_review.en.png" \
    "file://$here/adolescent_kaunas_review.en.html" 2>/dev/null
echo "written: $here/adolescent_kaunas_review.{en,lt}.html, .en.md, .en.json, .en.png"
