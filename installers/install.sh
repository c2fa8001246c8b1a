#!/usr/bin/env bash
# Install SwarmBridge for the current user on Linux or macOS (no root needed):
#   bash installers/install.sh [--browser chrome|chromium|edge|brave|vivaldi|firefox|all] ...
# 1. a private Python environment in the user data dir, with swarmbridge installed from this checkout;
# 2. `swarmbridge` linked into ~/.local/bin;
# 3. `swarmbridge install ARGS` registers the native-messaging host with your browsers;
# 4. `swarmbridge doctor` checks the result.
# Then load the extension (chrome://extensions -> Developer mode -> Load unpacked -> extension/).
# Uninstall: `swarmbridge uninstall --browser all`, then delete the environment printed below.
set -euo pipefail
src="$(cd "$(dirname "$0")/.." && pwd)"

python3 - <<'PY' || { echo "SwarmBridge needs Python >= 3.11 (python3 on PATH)" >&2; exit 1; }
import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)
PY

case "$(uname -s)" in
  Darwin) base="$HOME/Library/Application Support/swarmbridge" ;;
  *)      base="${XDG_DATA_HOME:-$HOME/.local/share}/swarmbridge" ;;
esac
venv="$base/venv"
echo "==> Python environment: $venv"
mkdir -p "$base"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --upgrade pip
"$venv/bin/python" -m pip install --quiet "$src"

mkdir -p "$HOME/.local/bin"
ln -sf "$venv/bin/swarmbridge" "$HOME/.local/bin/swarmbridge"
echo "==> linked $HOME/.local/bin/swarmbridge"
case ":$PATH:" in *":$HOME/.local/bin:"*) ;; *) echo "    (add ~/.local/bin to your PATH)";; esac

echo "==> registering the native-messaging host"
"$venv/bin/swarmbridge" install "$@"
echo "==> checking"
"$venv/bin/swarmbridge" doctor || echo "(doctor found problems above; each comes with its fix)"
