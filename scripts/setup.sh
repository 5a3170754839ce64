# Shared by scripts/run and scripts/test: Debian packages and the project's virtualenv.
# Source it from the repository root; it defines functions only.

# apt_install PACKAGE...: installs Debian packages, as root or through sudo.
apt_install() {
  local sudo=""
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || { echo "Installing $* needs root (or sudo)." >&2; exit 1; }
    sudo="sudo"
  fi
  echo "Installing Debian packages: $*"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@"
}

# ensure_venv EXTRAS: .venv with the project installed (EXTRAS such as "[test]", or empty).
# Debian's python3 comes without venv; python3-venv brings it.
ensure_venv() {
  local python="${PYTHON:-python3}"
  if [[ ! -x .venv/bin/python ]]; then
    "$python" -c 'import ensurepip, venv' 2>/dev/null || apt_install python3-venv
    "$python" -m venv .venv
  fi
  .venv/bin/python -m pip install -q -e ".$1"
}
