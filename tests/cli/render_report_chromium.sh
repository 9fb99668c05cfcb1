#!/usr/bin/env bash
# Renders kelias case reports in headless Chromium (Debian `chromium`): for each of
# English, Lithuanian and the commission pack it writes the HTML with the built CLI, loads
# it with --dump-dom (the page must log nothing to the console: it has no scripts, and its
# Content-Security-Policy turns any attempt to load an asset into a console error), checks
# the rendered DOM holds the profile chart (or, for the commission pack, the estimates and
# no chart), and prints it to PDF (it must exist, start with %PDF and have pages).
#
#   render_report_chromium.sh KELIAS SOURCE_DIR SCRATCH_DIR
#
# Exit 0: all rendered; 1: a check failed; 77: chromium is not installed and this is not
# CI (CTest reports the test as skipped). In CI (CI=true) a missing chromium fails.
set -euo pipefail
kelias=$1 source=$2 scratch=$3
case_file="$source/examples/cases/adolescent_kaunas_review.yaml"

chromium=$(command -v chromium || command -v chromium-browser || true)
if [[ -z "$chromium" ]]; then
    if [[ "${CI:-}" == "true" ]]; then
        echo "FAIL: chromium is not installed, and CI=true: 'make deps' installs it" >&2
        exit 1
    fi
    echo "SKIP: chromium is not installed (Debian package 'chromium'; 'make deps' installs it)" >&2
    exit 77
fi

rm -rf "$scratch"
mkdir -p "$scratch"
export HOME="$scratch/home"
mkdir -p "$HOME"
flags=(--headless --no-sandbox --disable-gpu --no-first-run --no-default-browser-check
       --disable-extensions --disable-background-networking --user-data-dir="$scratch/profile"
       --enable-logging=stderr --v=0)

fail() { echo "FAIL: $*" >&2; exit 1; }

for run in "en full" "lt full" "en commission"; do
    read -r lang variant <<<"$run"
    name="report_${lang}_${variant}"
    html="$scratch/$name.html"
    "$kelias" report "$case_file" --lang "$lang" --variant "$variant" -o "$html" || fail "$name: kelias report exited $?"
    [[ "$(stat -c %a "$html")" == "600" ]] || fail "$name: the report is not mode 0600"

    timeout 120 "$chromium" "${flags[@]}" --dump-dom "file://$html" >"$scratch/$name.dom" 2>"$scratch/$name.log" ||
        fail "$name: chromium --dump-dom exited $? (see $scratch/$name.log)"
    if grep -E ':CONSOLE[:(]|Uncaught|Refused to' "$scratch/$name.log"; then
        fail "$name: console messages while rendering"
    fi
    grep -q "<html lang=\"$lang\"" "$scratch/$name.dom" || fail "$name: no <html lang=\"$lang\"> in the rendered DOM"
    if [[ "$variant" == "commission" ]]; then
        grep -q 'id="estimates"' "$scratch/$name.dom" || fail "$name: no risk estimates in the rendered DOM"
        if grep -q '<svg id="profile-chart"' "$scratch/$name.dom"; then fail "$name: the commission pack has the item chart"; fi
    else
        grep -q '<svg id="profile-chart"' "$scratch/$name.dom" || fail "$name: no profile chart in the rendered DOM"
        grep -q 'class="mark-critical"' "$scratch/$name.dom" || fail "$name: no critical mark in the chart"
        grep -q 'class="mark-key"' "$scratch/$name.dom" || fail "$name: no key mark in the chart"
    fi

    pdf="$scratch/$name.pdf"
    timeout 120 "$chromium" "${flags[@]}" --no-pdf-header-footer --print-to-pdf="$pdf" "file://$html" \
        2>"$scratch/$name.pdf.log" >/dev/null || fail "$name: chromium --print-to-pdf exited $?"
    [[ -s "$pdf" ]] || fail "$name: no PDF written"
    [[ "$(head -c 5 "$pdf")" == "%PDF-" ]] || fail "$name: the PDF does not start with %PDF-"
    pages=$(grep -a -o '/Type /Page\b' "$pdf" | wc -l)
    (( pages >= 1 )) || fail "$name: the PDF has no pages"
    echo "$name: rendered, chart checked, PDF with $pages pages"
done
