#!/usr/bin/env bash
# Fault injection for the VFIO tables: applies each patch of kernels/faults/patches/ to vfio/
# in a scratch copy of the source tree and shows that vfio_replay or `vfio_kt check` fails.
#
#   run_faults.sh --source DIR --seeder FILE --seeds-from DIR --scratch DIR [--jobs N]
#                 [--fault NAME]...
#
#   --source DIR      the repository (never modified: everything happens in a copy)
#   --seeder FILE     a built ast_seeder, so the scratch build need not link LLVM again
#   --seeds-from DIR  a build of the same tree whose VFIO seeds the scratch build copies
#   --scratch DIR     holds src/ (the copy), build/ and logs/, all three replaced
#   --jobs N          build and check parallelism (default 2)
#   --fault NAME      only this patch (NN-short-name, repeatable; default every patch)
#
# The seeds are copied, not made (cmake/KtSeeder.cmake, KT_SEEDS_FROM): seeding the 16 kernel
# sources again would cost minutes of CPU. So check searches from the constants of the clean
# code, the inputs the suite had before the fault arrived.
#
# A fault counts as caught when a replay row fails (a recorded outcome or observation
# differs) or `vfio_kt check` reports a FINDING (a KT_CHECK, crash or hang). A check that
# only calls a table stale does not count: any edit to the code moves edge counts and with
# them the minimised rows, so staleness alone shows that the code changed, not that a bug
# shows.
#
# Two passes. First every fault against the replay, every row in a child (a fault may crash
# or hang): the cheap build and a run of seconds. Then, only for the faults the replay
# missed, vfio_kt (the instrumented build) is built on the clean copy, check must pass there
# on every kernel those patches' "Kernels:" headers name, and each such fault is checked on
# its own kernels. Each pass starts from a baseline that passes, so a failure is the fault's.
#
# Exit: 0 every fault caught, 1 a fault survived or its patch did not apply or compile,
# 2 a usage or setup error (including a baseline that fails without any fault).
set -euo pipefail

readonly kComponents="vfio;instrumentation;runner;report;permuter;kernels"
# What the scratch build reads: the top-level project, its CMake helpers and the components.
readonly kCopied=(CMakeLists.txt cmake vfio instrumentation runner report permuter kernels)
# Failing rows quoted per fault in the summary.
readonly kQuoted=3

usage() {
  sed -n '5,13s/^# \{0,1\}//p' "$0" >&2
  exit 2
}

log() { printf 'INFO: %s\n' "$*"; }
setup_error() {
  printf 'ERROR: %s\n' "$*" >&2
  exit 2
}

source_dir="" seeder="" seeds_from="" scratch="" jobs=2
selected=()
while (($# > 0)); do
  case "$1" in
    --source) source_dir="${2:?--source needs a directory}"; shift 2 ;;
    --seeder) seeder="${2:?--seeder needs a file}"; shift 2 ;;
    --seeds-from) seeds_from="${2:?--seeds-from needs a directory}"; shift 2 ;;
    --scratch) scratch="${2:?--scratch needs a directory}"; shift 2 ;;
    --jobs) jobs="${2:?--jobs needs a number}"; shift 2 ;;
    --fault) selected+=("${2:?--fault needs a name}"); shift 2 ;;
    -h | --help) usage ;;
    *) printf 'ERROR: unknown argument %s\n' "$1" >&2; usage ;;
  esac
done
[[ -n "$source_dir" && -n "$seeder" && -n "$seeds_from" && -n "$scratch" ]] || usage
[[ "$jobs" =~ ^[1-9][0-9]*$ ]] || setup_error "--jobs takes a positive number, not '$jobs'"
[[ -f "$source_dir/kernels/faults/run_faults.sh" ]] ||
  setup_error "$source_dir is not a kerneltest checkout"
[[ -x "$seeder" ]] || setup_error "no ast_seeder at $seeder (build ast_seeder_tool first)"
[[ -d "$seeds_from/kernels/vfio_seeds" ]] ||
  setup_error "no VFIO seeds in $seeds_from/kernels/vfio_seeds (build vfio_seeds there first)"
for tool in patch cmake ninja clang++-19; do
  command -v "$tool" >/dev/null || setup_error "$tool is not on PATH"
done
source_dir=$(cd "$source_dir" && pwd)
seeder=$(cd "$(dirname "$seeder")" && pwd)/$(basename "$seeder")
seeds_from=$(cd "$seeds_from" && pwd)

patches=()
if ((${#selected[@]} == 0)); then
  for p in "$source_dir"/kernels/faults/patches/*.patch; do
    [[ -e "$p" ]] && patches+=("$p")
  done
else
  for name in "${selected[@]}"; do
    p="$source_dir/kernels/faults/patches/${name%.patch}.patch"
    [[ -f "$p" ]] || setup_error "no fault $name (no $p)"
    patches+=("$p")
  done
fi
((${#patches[@]} > 0)) || setup_error "no patches in $source_dir/kernels/faults/patches"

# The "Kernels:" line of a patch's header: the kernels that exercise the faulty module.
kernels_of() {
  sed -n '/^--- /q; s/^Kernels:[[:space:]]*//p' "$1"
}
# The header's first line, "Fault: ...", without the label.
summary_of() {
  sed -n '/^--- /q; s/^Fault:[[:space:]]*//p' "$1" | head -n 1
}
for p in "${patches[@]}"; do
  [[ -n "$(summary_of "$p")" ]] || setup_error "$p: its header has no 'Fault:' line"
  [[ -n "$(kernels_of "$p")" ]] || setup_error "$p: its header has no 'Kernels:' line"
done

src="$scratch/src"
build="$scratch/build"
logs="$scratch/logs"
tables="$src/kernels/tables"
started=$SECONDS

# A fresh copy every run: reused sources would need their timestamps kept in step with the
# build's.
log "copying the sources into $src"
rm -rf "$src" "$build" "$logs"
mkdir -p "$src" "$logs"
for item in "${kCopied[@]}"; do
  cp -R "$source_dir/$item" "$src/$item"
done
[[ -d "$tables" ]] || setup_error "no tables in $source_dir/kernels/tables: generate them first"

# The main build's optimisation without its debug information, which would double the
# compile and link times. Not -O0: check runs every execution under a timeout, and the
# coverage hooks (uninstrumented, built as the build type says) are then several times
# slower. The tables do not depend on this: the instrumented objects are always -O0.
log "configuring $build"
if ! cmake -S "$src" -B "$build" -G Ninja \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O2 -DNDEBUG" \
    "-DCMAKE_C_FLAGS_RELWITHDEBINFO=-O2 -DNDEBUG" \
    -DCMAKE_C_COMPILER=clang-19 -DCMAKE_CXX_COMPILER=clang++-19 -DKT_WERROR=ON \
    "-DKT_COMPONENTS=$kComponents" -DKT_VM_TEST=OFF "-DKT_AST_SEEDER_EXECUTABLE=$seeder" \
    "-DKT_SEEDS_FROM=$seeds_from" >"$logs/configure.log" 2>&1; then
  tail -n 20 "$logs/configure.log" >&2
  setup_error "configuring the scratch build failed (log: $logs/configure.log)"
fi

build_target() {  # <log> <target>
  ninja -C "$build" -j "$jobs" "$2" >"$1" 2>&1
}

# Every row in a child, so that a crash or a hang fails that row, not the whole replay.
run_replay() {  # <log>
  "$build/kernels/vfio_replay" --tables "$tables" --fork --timeout_ms 10000 --gtest_brief=1 \
    >"$1" 2>&1
}

# A generous per-execution timeout: a busy CI machine must not turn a slow execution into a
# finding, and a fault that makes a kernel hang still ends as timeout().
run_check() {  # <log> <kernel>...
  local out="$1"
  shift
  local args=()
  for k in "$@"; do args+=(--kernel "$k"); done
  "$build/kernels/vfio_kt" check --tables "$tables" --jobs "$jobs" --timeout_ms 10000 \
    "${args[@]}" >"$out" 2>&1
}

apply_fault() {  # <patch> <log>: all of the patch or nothing
  patch -p1 -d "$src" --dry-run --batch <"$1" >"$2" 2>&1 &&
    patch -p1 -d "$src" --batch --no-backup-if-mismatch <"$1" >>"$2" 2>&1
}

# Reverting rewrites the files, so their new timestamps rebuild them for the next fault.
revert_fault() {  # <patch> <log>
  patch -p1 -R -d "$src" --batch --no-backup-if-mismatch <"$1" >>"$2" 2>&1 ||
    setup_error "$(basename "$1"): did not revert; the scratch copy is no longer clean ($2)"
}

first_error() {  # <build log>
  grep -m 1 -E 'error:' "$1" || echo "(log: $1)"
}

declare -A verdict evidence seconds
names=()
record() {  # <name> <verdict> <evidence> <seconds spent>
  verdict[$1]="$2"
  evidence[$1]="$3"
  seconds[$1]=$((${seconds[$1]:-0} + $4))
  log "fault $1: $2 ($4 s): $3"
}

log "building vfio_replay"
build_target "$logs/build-replay.log" vfio_replay ||
  setup_error "the scratch build of vfio_replay failed (log: $logs/build-replay.log)"
log "baseline replay after $((SECONDS - started)) s"
if ! run_replay "$logs/baseline-replay.log"; then
  grep -E '^\[  FAILED  \]' "$logs/baseline-replay.log" | head -n 10 >&2 || true
  setup_error "replay fails without any fault (log: $logs/baseline-replay.log)"
fi

# Pass 1: the replay.
to_check=()
for p in "${patches[@]}"; do
  name=$(basename "$p" .patch)
  names+=("$name")
  t0=$SECONDS
  log "fault $name: $(summary_of "$p")"
  if ! apply_fault "$p" "$logs/$name.patch.log"; then
    record "$name" "NOT APPLIED" "patch -p1 fails (log: $logs/$name.patch.log)" 0
    continue
  fi
  if ! build_target "$logs/$name.build.log" vfio_replay; then
    record "$name" "NOT COMPILED" "$(first_error "$logs/$name.build.log")" $((SECONDS - t0))
  elif run_replay "$logs/$name.replay.log"; then
    to_check+=("$p")
    seconds[$name]=$((SECONDS - t0))
  else
    rows=$(sed -n 's/^\[  FAILED  \] \([^ ,]*\).*/\1/p' "$logs/$name.replay.log" | sort -u)
    count=$(printf '%s' "$rows" | grep -c . || true)
    if ((count == 0)); then
      record "$name" "REPLAY ERROR" "no failing row (log: $logs/$name.replay.log)" \
        $((SECONDS - t0))
    else
      # The first difference the replay printed: what the fault changed, in table terms.
      first=$(grep -m 1 -E '^  - ' "$logs/$name.replay.log" | sed 's/^  - //' || true)
      record "$name" "caught by replay" \
        "$count rows ($(printf '%s\n' "$rows" | head -n "$kQuoted" | paste -sd ' ')); $first" \
        $((SECONDS - t0))
    fi
  fi
  revert_fault "$p" "$logs/$name.patch.log"
done

# Pass 2: check, for the faults the replay missed.
if ((${#to_check[@]} > 0)); then
  t0=$SECONDS
  log "building vfio_kt for ${#to_check[@]} fault(s) the replay missed"
  build_target "$logs/build-kt.log" vfio_kt ||
    setup_error "the scratch build of vfio_kt failed (log: $logs/build-kt.log)"
  mapfile -t baseline_kernels < <(for p in "${to_check[@]}"; do kernels_of "$p"; done |
    tr ' ' '\n' | sed '/^$/d' | sort -u)
  log "baseline check of ${baseline_kernels[*]}"
  if ! run_check "$logs/baseline-check.log" "${baseline_kernels[@]}"; then
    grep -E '^(ERROR|FINDING): ' "$logs/baseline-check.log" | head -n 10 >&2 || true
    setup_error "check fails without any fault (log: $logs/baseline-check.log)"
  fi
  log "vfio_kt and its baseline took $((SECONDS - t0)) s"
  for p in "${to_check[@]}"; do
    name=$(basename "$p" .patch)
    t0=$SECONDS
    read -r -a kernels <<<"$(kernels_of "$p")"
    apply_fault "$p" "$logs/$name.patch.log" ||
      setup_error "$name: applied in the first pass, not in the second ($logs/$name.patch.log)"
    if ! build_target "$logs/$name.build-kt.log" vfio_kt; then
      record "$name" "NOT COMPILED" "$(first_error "$logs/$name.build-kt.log")" $((SECONDS - t0))
    elif run_check "$logs/$name.check.log" "${kernels[@]}"; then
      record "$name" "SURVIVED" "replay passes, and check of ${kernels[*]}" $((SECONDS - t0))
    elif findings=$(grep -E '^FINDING: ' "$logs/$name.check.log"); then
      record "$name" "caught by check" "$(printf '%s\n' "$findings" | head -n 2 | paste -sd ' ')" \
        $((SECONDS - t0))
    elif grep -q ' is stale; ' "$logs/$name.check.log"; then
      record "$name" "SURVIVED" "replay passes; check only calls tables stale: $(
        grep -o 'kernel [^ ]*: ' "$logs/$name.check.log" | sort -u | head -n "$kQuoted" |
          paste -sd ' ')" $((SECONDS - t0))
    else
      record "$name" "CHECK ERROR" "$(grep -m 1 -E '^ERROR: ' "$logs/$name.check.log" ||
        echo "(log: $logs/$name.check.log)")" $((SECONDS - t0))
    fi
    revert_fault "$p" "$logs/$name.patch.log"
  done
fi

printf '\n%-42s %-16s %5s  %s\n' "fault" "verdict" "secs" "evidence"
missed=0
for name in "${names[@]}"; do
  printf '%-42s %-16s %5s  %s\n' "$name" "${verdict[$name]}" "${seconds[$name]}" \
    "${evidence[$name]}"
  case "${verdict[$name]}" in
    "caught by replay" | "caught by check") ;;
    *) missed=$((missed + 1)) ;;
  esac
done
printf '\n'
log "${#names[@]} faults, $missed not caught, $((SECONDS - started)) s in all"
if ((missed > 0)); then
  printf 'ERROR: %d fault(s) not caught; logs in %s\n' "$missed" "$logs" >&2
  exit 1
fi
