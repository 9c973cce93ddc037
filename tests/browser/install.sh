#!/usr/bin/env bash
# Installs what the review page's browser tests need, when missing: Debian's
# headless Chromium and a CJK font (so Chinese renders as text, not boxes,
# in the screenshot). Prints the browser's path on its last line.
set -euo pipefail
find_browser() {
  for b in chromium-headless-shell chromium chromium-browser; do
    if command -v "$b" >/dev/null 2>&1; then command -v "$b"; return 0; fi
  done
  for b in /usr/lib/chromium/chromium-headless-shell /usr/lib/chromium/headless_shell; do
    if [ -x "$b" ]; then echo "$b"; return 0; fi
  done
  return 1
}
need_font() { ! fc-list 2>/dev/null | grep -qiE "wqy|noto sans cjk|noto serif cjk"; }
if ! find_browser >/dev/null || need_font; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq >&2
  pkgs="fonts-wqy-zenhei"
  find_browser >/dev/null || pkgs="$pkgs chromium-headless-shell"
  $sudo apt-get install -y -qq --no-install-recommends $pkgs >&2
fi
find_browser
