#!/usr/bin/env bash
# Lints everything under infra/ without a container engine or a Kubernetes cluster, for CI and people:
#   shell     shellcheck on every script under infra/
#   yaml      yamllint (syntax, duplicate keys, indentation) on compose.yaml and k8s/*.yaml
#   compose   `docker compose config` (or Debian's docker-compose when the compose plugin is absent):
#             the Compose schema and interpolation; also checks that the file still demands an
#             operator token instead of carrying one
#   docker    every COPY source of infra/Dockerfile exists, and it copies every src/ project file
#   k8s       infra/validate/k8s-validate.mjs: OpenAPI schema (kubernetes-models), strict fields
#             (kubernetes-types through TypeScript), cross-references
# Installs what it lacks: shellcheck, yamllint, docker-compose, nodejs/npm from Debian's packages
# (apt-get, as root or through sudo) and pinned npm packages into a cache directory
# (WG_TOOLS_DIR, default ~/.cache/walletgrains-infra-validate). Exits non-zero when anything fails.
set -euo pipefail

infra=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(cd "$infra/.." && pwd)
tools_dir=${WG_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/walletgrains-infra-validate}
npm_packages=(kubernetes-models@5.1.0 kubernetes-types@1.30.0 typescript@5.9.3 yaml@2.9.1)

failures=()
step() { printf '\n== %s\n' "$*"; }
ok() { printf 'ok: %s\n' "$*"; }
bad() {
  printf 'FAILED: %s\n' "$*" >&2
  failures+=("$*")
}

# ---- tools -------------------------------------------------------------------------------------

apt_updated=0
apt_install() {
  local runner=()
  if ((EUID != 0)); then
    command -v sudo >/dev/null || {
      echo "need root or sudo to install: $*" >&2
      return 1
    }
    runner=(sudo -n)
  fi
  if ((apt_updated == 0)); then
    "${runner[@]}" apt-get update -qq >/dev/null
    apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive "${runner[@]}" apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

need() { # need COMMAND DEBIAN-PACKAGE
  command -v "$1" >/dev/null && return 0
  echo "installing $2 (for $1) ..."
  apt_install "$2"
}

compose_cmd=()
find_compose() {
  if docker compose version >/dev/null 2>&1; then
    compose_cmd=(docker compose)
  else
    need docker-compose docker-compose
    compose_cmd=(docker-compose)
  fi
}

npm_tools() {
  need node nodejs
  need npm npm
  local stamp=$tools_dir/.installed
  if [[ -f $stamp && $(<"$stamp") == "${npm_packages[*]}" && -d $tools_dir/node_modules ]]; then
    return 0
  fi
  echo "installing ${npm_packages[*]} into $tools_dir ..."
  rm -rf "$tools_dir"
  mkdir -p "$tools_dir"
  printf '{ "name": "walletgrains-infra-validate", "private": true, "type": "module" }\n' >"$tools_dir/package.json"
  npm install --prefix "$tools_dir" --no-audit --no-fund --no-package-lock --loglevel=error \
    "${npm_packages[@]}" >"$tools_dir/npm-install.log" 2>&1 || {
    cat "$tools_dir/npm-install.log" >&2
    return 1
  }
  printf '%s' "${npm_packages[*]}" >"$stamp"
}

# ---- checks ------------------------------------------------------------------------------------

check_shell() {
  step "shell: shellcheck"
  need shellcheck shellcheck || {
    bad "shellcheck could not be installed"
    return
  }
  local scripts=()
  mapfile -t scripts < <(find "$infra" -name '*.sh' -not -path '*/node_modules/*' -not -path '*/.cluster/*' | sort)
  if shellcheck -x "${scripts[@]}"; then
    ok "shellcheck: ${scripts[*]#"$repo_root"/}"
  else
    bad "shellcheck"
  fi
}

yaml_files() {
  find "$infra/compose.yaml" "$infra/k8s" -name '*.yaml' | sort
}

check_yaml() {
  step "yaml: yamllint"
  need yamllint yamllint || {
    bad "yamllint could not be installed"
    return
  }
  local files=()
  mapfile -t files < <(yaml_files)
  if yamllint -s -c "$infra/validate/yamllint.yaml" "${files[@]}"; then
    ok "yamllint: ${#files[@]} files"
  else
    bad "yamllint"
  fi
}

check_compose() {
  step "compose: schema and interpolation"
  find_compose || {
    bad "no Compose implementation could be installed"
    return
  }
  echo "using: ${compose_cmd[*]} ($("${compose_cmd[@]}" version 2>/dev/null | head -n1))"
  # A placeholder for the one required variable; the real token never lives in the file.
  if WG_OPERATOR_TOKEN=validate-placeholder-not-a-real-token \
    "${compose_cmd[@]}" -f "$infra/compose.yaml" config -q; then
    ok "compose.yaml is valid"
  else
    bad "compose.yaml"
  fi
  if (unset WG_OPERATOR_TOKEN && "${compose_cmd[@]}" -f "$infra/compose.yaml" config -q) >/dev/null 2>&1; then
    bad "compose.yaml must refuse to start without WG_OPERATOR_TOKEN"
  else
    ok "compose.yaml demands WG_OPERATOR_TOKEN"
  fi
}

check_dockerfile() {
  step "docker: COPY sources of infra/Dockerfile"
  local dockerfile=$infra/Dockerfile problems=0 src csproj
  # Sources of COPY lines without --from (the build context is the repository root).
  while read -r src; do
    [[ -e $repo_root/$src ]] || {
      echo "COPY source missing: $src" >&2
      problems=1
    }
  done < <(awk '/^COPY / && !/--from=/ { for (i = 2; i < NF; i++) if ($i !~ /^--/) print $i }' "$dockerfile")
  # Every project under src/ must be copied before the restore, or the restore fails.
  while read -r csproj; do
    grep -qF "COPY ${csproj#"$repo_root"/} " "$dockerfile" || {
      echo "infra/Dockerfile does not copy ${csproj#"$repo_root"/} before restoring" >&2
      problems=1
    }
  done < <(find "$repo_root/src/" -name '*.csproj' -not -path '*/bin/*' -not -path '*/obj/*' | sort)
  if ((problems == 0)); then ok "Dockerfile sources exist and cover every src/ project"; else bad "Dockerfile"; fi
}

check_k8s() {
  step "k8s: schema, strict fields, cross-references"
  npm_tools || {
    bad "npm tools could not be installed"
    return
  }
  cp "$infra/validate/k8s-validate.mjs" "$tools_dir/k8s-validate.mjs"
  local files=()
  mapfile -t files < <(find "$infra/k8s" -name '*.yaml' | sort)
  if node "$tools_dir/k8s-validate.mjs" "${files[@]}"; then
    ok "k8s manifests"
  else
    bad "k8s manifests"
  fi
}

check_shell
check_yaml
check_compose
check_dockerfile
check_k8s

echo
if ((${#failures[@]} > 0)); then
  printf 'infra validation FAILED: %s\n' "${failures[*]}" >&2
  exit 1
fi
echo "infra validation passed"
