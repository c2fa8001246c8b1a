#!/usr/bin/env bash
# Set everything up on a fresh machine, then run the demo or the whole test suite.
#   bash installers/dev.sh demo          # set up, then run the demo
#   bash installers/dev.sh test [ARGS]   # set up, then run every test (ARGS go to pytest)
# Leaves the Python environment in .venv. Needs python3 >= 3.11 and node >= 18 (for the JS tests).
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-test}"; [ $# -gt 0 ] && shift

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

python3 - <<'PY' || { echo "SwarmBridge needs Python >= 3.11" >&2; exit 1; }
import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)
PY

have_browser() { command -v chromedriver >/dev/null 2>&1 && { command -v chromium >/dev/null 2>&1 || [ -x /usr/lib/chromium/chromium ]; }; }
if ! have_browser; then
  if [ "$mode" = test ] || ! command -v google-chrome >/dev/null 2>&1; then
    say "installing Chromium and ChromeDriver (Debian packages chromium, chromium-driver)"
    SUDO=""; [ "$(id -u)" != 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver >/dev/null
  fi
fi

if [ ! -x .venv/bin/python ]; then
  say "creating .venv"
  python3 -m venv .venv
fi
# The tests also run every benchmark in its quick mode, so they need the peers the benchmarks
# compare against (the "bench" extra); the demo needs neither.
extras=""; [ "$mode" = test ] && extras="[test,bench]"
stamp=".venv/.swarmbridge-installed${extras:+-test}"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  say "installing swarmbridge${extras:+ and its test and benchmark dependencies} into .venv"
  .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip
  .venv/bin/python -m pip install -q --disable-pip-version-check -e ".${extras}"
  touch "$stamp"
fi

case "$mode" in
  demo)
    exec .venv/bin/swarmbridge demo "$@"
    ;;
  test)
    if [ -f tests/js/package.json ]; then
      say "JS unit tests (node --test)"
      command -v node >/dev/null 2>&1 || { echo "node is needed for the JS tests (apt-get install nodejs npm)" >&2; exit 1; }
      if [ ! -d tests/js/node_modules ] || [ tests/js/package.json -nt tests/js/node_modules ]; then
        (cd tests/js && npm install --no-audit --no-fund --silent)
      fi
      node --test tests/js/
    fi
    say "Python tests (pytest)"
    exec .venv/bin/python -m pytest "$@"
    ;;
  *)
    echo "usage: bash installers/dev.sh demo|test [args]" >&2; exit 2;;
esac
