# Install SwarmBridge for the current user on Windows (no administrator needed). UNTESTED: there is
# no Windows machine in this project's CI; the registry code path behind it is unit-tested with a fake.
#   powershell -ExecutionPolicy Bypass -File installers\install.ps1 [-Browser chrome|edge|brave|vivaldi|chromium|firefox|all]
# 1. a private Python environment in %LOCALAPPDATA%\swarmbridge\venv with swarmbridge from this checkout;
# 2. `swarmbridge install --browser B` writes the manifests and the HKCU\SOFTWARE\<vendor>\NativeMessagingHosts
#    registry values (default value = manifest path) and a .bat launcher naming python.exe absolutely;
# 3. `swarmbridge doctor` checks the result.
param([string]$Browser = "all")
$ErrorActionPreference = "Stop"
$src = Split-Path -Parent $PSScriptRoot
$py = Get-Command py -ErrorAction SilentlyContinue
if ($py) { $python = "py"; $pyArgs = @("-3.11") } else { $python = "python"; $pyArgs = @() }
& $python @pyArgs -c "import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)"
if ($LASTEXITCODE -ne 0) { throw "SwarmBridge needs Python >= 3.11" }
$base = Join-Path $env:LOCALAPPDATA "swarmbridge"
$venv = Join-Path $base "venv"
New-Item -ItemType Directory -Force -Path $base | Out-Null
if (-not (Test-Path (Join-Path $venv "Scripts\python.exe"))) { & $python @pyArgs -m venv $venv }
$vpy = Join-Path $venv "Scripts\python.exe"
& $vpy -m pip install --quiet --upgrade pip
& $vpy -m pip install --quiet $src
$sb = Join-Path $venv "Scripts\swarmbridge.exe"
Write-Host "==> registering the native-messaging host"
& $sb install --browser $Browser
Write-Host "==> checking"
& $sb doctor
Write-Host "swarmbridge is at $sb (add $(Join-Path $venv 'Scripts') to PATH to call it by name)"
