#!/usr/bin/env bash
# Download, cache and run the Keycloak server the test suite uses (no Docker).
#
#   scripts/keycloak.sh fetch   download org.keycloak:keycloak-quarkus-dist:$KC_VERSION:zip from Maven
#                               Central (with Maven) and unpack it under $OAUTHLINT_CACHE; idempotent.
#   scripts/keycloak.sh path    print the unpacked distribution's directory (fetching if needed).
#   scripts/keycloak.sh prepare fetch, then `kc.sh build` a copy once for the test suite (dev-file database,
#                               client-secret-rotation feature) so each test session starts with
#                               `start --optimized`: one JVM pass instead of two. Prints its directory.
#   scripts/keycloak.sh start   run start-dev on 127.0.0.1:${KC_PORT:-18080} in the foreground, for people
#                               (admin/admin unless KC_BOOTSTRAP_ADMIN_USERNAME/PASSWORD are set).
#
# Environment: OAUTHLINT_CACHE (default ~/.cache/oauthlint), KC_VERSION (default 26.7.3),
# OAUTHLINT_JAVA_HOME (default /usr/lib/jvm/temurin-25-jdk-amd64; Keycloak >= 26.6 supports JRE 25).
set -euo pipefail

KC_VERSION="${KC_VERSION:-26.7.3}"
CACHE="${OAUTHLINT_CACHE:-$HOME/.cache/oauthlint}"
DIST="$CACHE/keycloak-$KC_VERSION"
BUILT="$CACHE/keycloak-$KC_VERSION-built"
BUILD_OPTS=(--db=dev-file --features=client-secret-rotation)
JAVA_HOME_DEFAULT="/usr/lib/jvm/temurin-25-jdk-amd64"
export JAVA_HOME="${OAUTHLINT_JAVA_HOME:-${JAVA_HOME_KEYCLOAK:-$JAVA_HOME_DEFAULT}}"

fetch() {
  if [[ -x "$DIST/bin/kc.sh" && -f "$DIST/.oauthlint-complete" ]]; then
    return 0
  fi
  mkdir -p "$CACHE"
  local work
  work="$(mktemp -d "$CACHE/.keycloak-fetch.XXXXXX")"
  trap 'rm -rf "$work"' RETURN
  echo "keycloak.sh: downloading org.keycloak:keycloak-quarkus-dist:$KC_VERSION:zip with Maven" >&2
  mvn -q -B org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
    -Dartifact="org.keycloak:keycloak-quarkus-dist:$KC_VERSION:zip" \
    -DoutputDirectory="$work" -Dmdep.useBaseVersion=true >&2
  local zip="$work/keycloak-quarkus-dist-$KC_VERSION.zip"
  [[ -f "$zip" ]] || { echo "keycloak.sh: Maven did not produce $zip" >&2; exit 1; }
  python3 - "$zip" "$work/unpacked" <<'PY'
import sys, zipfile, os, stat
zf = zipfile.ZipFile(sys.argv[1])
for info in zf.infolist():
    path = zf.extract(info, sys.argv[2])
    mode = info.external_attr >> 16
    if mode:
        os.chmod(path, stat.S_IMODE(mode))
PY
  local top
  top="$(find "$work/unpacked" -mindepth 1 -maxdepth 1 -type d | head -n1)"
  chmod +x "$top/bin/"*.sh
  touch "$top/.oauthlint-complete"
  rm -rf "$DIST"
  mv "$top" "$DIST"
  echo "keycloak.sh: cached $DIST" >&2
}

prepare() {
  fetch
  local stamp="${BUILD_OPTS[*]}"
  if [[ -f "$BUILT/.oauthlint-built" && "$(cat "$BUILT/.oauthlint-built")" == "$stamp" ]]; then
    return 0
  fi
  local work
  work="$(mktemp -d "$CACHE/.keycloak-build.XXXXXX")"
  cp -r "$DIST/." "$work/"
  echo "keycloak.sh: kc.sh build ${BUILD_OPTS[*]}" >&2
  "$work/bin/kc.sh" build "${BUILD_OPTS[@]}" >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; rm -rf "$work"; exit 1; }
  echo "$stamp" >"$work/.oauthlint-built"
  rm -rf "$BUILT"
  mv "$work" "$BUILT"
}

locked() {
  mkdir -p "$CACHE"
  exec 9>"$CACHE/.keycloak.lock"
  flock 9
  "$@"
}

case "${1:-fetch}" in
  fetch) locked fetch ;;
  path) locked fetch; echo "$DIST" ;;
  prepare) locked prepare; echo "$BUILT" ;;
  start)
    locked fetch
    export KC_BOOTSTRAP_ADMIN_USERNAME="${KC_BOOTSTRAP_ADMIN_USERNAME:-admin}"
    export KC_BOOTSTRAP_ADMIN_PASSWORD="${KC_BOOTSTRAP_ADMIN_PASSWORD:-admin}"
    exec "$DIST/bin/kc.sh" start-dev --http-host=127.0.0.1 --http-port="${KC_PORT:-18080}" \
      --features=client-secret-rotation
    ;;
  *) echo "usage: scripts/keycloak.sh fetch|path|start" >&2; exit 2 ;;
esac
