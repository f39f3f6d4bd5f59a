#!/usr/bin/env bash
# solve_cli_test: end-to-end tests of `spexlens solve`, run by CTest one group at a time.
#
#   solve_cli_test.sh SPEXLENS_BINARY GROUP
#
# Groups: recovery, schema, io, determinism, baselines, notes, errors, help.
# Result JSON is validated by check_result.py (next to this script); fixtures live in fixtures/.
set -u

bin=$1
group=$2
here=$(cd "$(dirname "$0")" && pwd)
fixtures=$here/fixtures
check="python3 $here/check_result.py"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

failures=0
fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}

# run NAME ARGS...: runs spexlens, keeps stdout/stderr/status in $tmp/NAME.{out,err,rc}.
run() {
    local name=$1
    shift
    "$bin" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err"
    echo $? >"$tmp/$name.rc"
}

# expect_ok NAME: status 0 and nothing on stderr.
expect_ok() {
    local rc
    rc=$(cat "$tmp/$1.rc")
    if [ "$rc" != 0 ]; then
        fail "$1: exit $rc: $(cat "$tmp/$1.err")"
        return 1
    fi
    if [ -s "$tmp/$1.err" ]; then
        fail "$1: unexpected stderr: $(cat "$tmp/$1.err")"
        return 1
    fi
}

# validate NAME CHECK_ARGS...: the run succeeded and its stdout passes check_result.py.
validate() {
    local name=$1
    shift
    expect_ok "$name" || return
    $check "$tmp/$name.out" "$@" || fail "$name: result JSON check failed"
}

# Strips the "timing_ms" object (the only part allowed to differ between identical runs).
strip_timing() {
    python3 - "$1" <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
stripped, count = re.subn(r'\n  "timing_ms": \{(?:[^{}]|\{[^{}]*\})*\},', "", text)  # one nested object: surrogates
if count != 1:
    sys.exit("timing_ms block not found exactly once")
sys.stdout.write(stripped)
PY
}

# same_except_timing A B: two outputs are byte-identical once timing_ms is removed.
same_except_timing() {
    strip_timing "$1" >"$1.strip" || fail "cannot strip timing from $1"
    strip_timing "$2" >"$2.strip" || fail "cannot strip timing from $2"
    cmp -s "$1.strip" "$2.strip"
}

# expect_error NAME CODE MESSAGE_REGEX -- ARGS... [< stdin]: exit CODE, empty stdout, and
# stderr exactly one line "spexlens: error: ..." matching MESSAGE_REGEX (ERE).
expect_error() {
    local name=$1 code=$2 regex=$3
    shift 4
    "$bin" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err"
    local rc=$?
    local lines
    lines=$(wc -l <"$tmp/$name.err")
    if [ "$rc" != "$code" ]; then
        fail "$name: exit $rc, expected $code (stderr: $(cat "$tmp/$name.err"))"
    elif [ "$lines" != 1 ]; then
        fail "$name: stderr has $lines lines, expected 1: $(cat "$tmp/$name.err")"
    elif ! grep -Eq "^spexlens: error: $regex" "$tmp/$name.err"; then
        fail "$name: stderr does not match 'spexlens: error: $regex': $(cat "$tmp/$name.err")"
    elif [ -s "$tmp/$name.out" ]; then
        fail "$name: stdout is not empty"
    fi
}

# error_json NAME CODE REGEX JSON: the function JSON text, given on stdin, is rejected.
error_json() {
    printf '%s' "$4" | expect_error "$1" "$2" "$3" -- solve --function -
}

fourier=$fixtures/planted_fourier.json
mobius=$fixtures/planted_mobius.json

case "$group" in
recovery)
    # Noiseless planted functions (a pair and a triple among them) are recovered exactly.
    run fourier solve --function "$fourier"
    validate fourier --method spex --n 64 --recovered-all --min-r2-clean 0.9999
    run mobius solve --function "$mobius"
    validate mobius --method spex --n 64 --recovered-all --min-r2-clean 0.9999
    run budget solve --function "$fourier" --budget 5000 --seed 11
    validate budget --recovered-all --min-r2-clean 0.9999
    # With noise in the function, the planted terms are still found and nothing spurious.
    run noisy solve --function "$fixtures/planted_noisy.json" --seed 5
    validate noisy --recovered-all --min-r2-clean 0.999
    python3 - "$tmp/fourier.out" <<'PY' || fail "recovered coefficients are not the planted ones"
import json, sys
d = json.load(open(sys.argv[1]))
got = {tuple(t["set"]): t["coef"] for t in d["fourier"]}
planted = {(): 1.0, (3,): 1.5, (40,): -0.75, (5, 17): 2.0, (8, 22, 63): -1.25}
bad = [(k, v, got.get(k)) for k, v in planted.items() if abs(got.get(k, 0.0) - v) > 1e-9]
sys.exit(f"coefficients off: {bad}" if bad else 0)
PY
    ;;
schema)
    # Every documented field with the right type, for each switch that changes a field's shape.
    run default solve --function "$fourier"
    validate default
    run noremoval solve --function "$fourier" --removal 0 --holdout 0
    validate noremoval --removal-null
    python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if d["faithfulness"]["r2"] is None and d["holdout_queries"] == 0 else "r2 must be null without hold-out")' \
        "$tmp/noremoval.out" || fail "noremoval: faithfulness"
    run hard solve --function "$fourier" --b 5 --t 3 --decoder hard --refine off --noise reference --index SII --max-order 3
    validate hard
    python3 - "$tmp/hard.out" <<'PY' || fail "hard: option values not reflected in the result"
import json, sys
d = json.load(open(sys.argv[1]))
want = {"b": 5, "t": 3, "t_requested": 3, "decoder": "hard", "refine": False, "budget": None}
bad = {k: d[k] for k, v in want.items() if d[k] != v}
bad.update({} if d["noise"]["mode"] == "reference" and d["noise"]["sd_estimate"] is None else {"noise": d["noise"]})
bad.update({} if d["diagnostics"]["refit"] is None else {"refit": d["diagnostics"]["refit"]})
bad.update({} if d["index"]["name"] == "SII" and d["index"]["order"] == 3 else {"index": d["index"]["name"]})
sys.exit(f"unexpected: {bad}" if bad else 0)
PY
    run known solve --function "$fourier" --noise 0.25 --seed 9007199254740991 --budget 3000 --index k-sii
    validate known
    python3 - "$tmp/known.out" <<'PY' || fail "known: noise/seed/budget not reflected"
import json, sys
d = json.load(open(sys.argv[1]))
ok = (d["noise"] == {"mode": "known", "sd_estimate": 0.25, "zeroton_tau": d["noise"]["zeroton_tau"]}
      and d["seed"] == 9007199254740991 and d["budget"] == 3000 and d["queries"] <= 3000
      and d["index"]["name"] == "k-SII")
sys.exit(0 if ok else f"noise={d['noise']} seed={d['seed']} budget={d['budget']} queries={d['queries']}")
PY
    ;;
io)
    # --out writes the file (and nothing to stdout); stdin gives the same result as the file.
    run file solve --function "$fourier" --seed 3
    expect_ok file
    run out solve --function "$fourier" --seed 3 --out "$tmp/result.json"
    expect_ok out
    [ -s "$tmp/out.out" ] && fail "--out: stdout is not empty"
    if [ -f "$tmp/result.json" ]; then
        $check "$tmp/result.json" --recovered-all || fail "--out: file fails the result check"
        same_except_timing "$tmp/file.out" "$tmp/result.json" || fail "--out file differs from stdout output"
    else
        fail "--out did not create the file"
    fi
    "$bin" solve --function - --seed 3 <"$fourier" >"$tmp/stdin.out" 2>"$tmp/stdin.err"
    echo $? >"$tmp/stdin.rc"
    validate stdin --recovered-all
    same_except_timing "$tmp/file.out" "$tmp/stdin.out" || fail "stdin result differs from file result"
    run equals solve --function="$fourier" --seed=3 --batch=1000
    validate equals
    same_except_timing "$tmp/file.out" "$tmp/equals.out" || fail "--flag=value or --batch changed the result"
    ;;
determinism)
    # Same seed => byte-identical output apart from timing_ms, also with noise in the function.
    for f in "$fourier" "$fixtures/planted_noisy.json"; do
        name=$(basename "$f" .json)
        run "${name}_a" solve --function "$f" --seed 42 --b 6
        run "${name}_b" solve --function "$f" --seed 42 --b 6
        expect_ok "${name}_a" && expect_ok "${name}_b" &&
            { same_except_timing "$tmp/${name}_a.out" "$tmp/${name}_b.out" || fail "$name: same seed, different output"; }
    done
    run lime_a solve --function "$fourier" --seed 42 --method lime
    run lime_b solve --function "$fourier" --seed 42 --method lime
    same_except_timing "$tmp/lime_a.out" "$tmp/lime_b.out" || fail "lime: same seed, different output"
    # ...and a different seed changes the noisy run (the seed really reaches the draws).
    run noisy_c solve --function "$fixtures/planted_noisy.json" --seed 43 --b 6
    expect_ok noisy_c
    same_except_timing "$tmp/planted_noisy_a.out" "$tmp/noisy_c.out" && fail "seeds 42 and 43 gave identical output"
    ;;
baselines)
    # Equal-budget baselines produce valid results with the same query count as SPEX.
    for m in lime kernelshap faith-banzhaf-1; do
        run "$m" solve --function "$fourier" --method "$m" --b 6
        validate "$m" --method "$m"
    done
    run spex solve --function "$fourier" --b 6
    validate spex
    # Order 2 fits all C(n,2) pairs, so it runs on the n = 16 fixture to keep the test quick.
    run fb2 solve --function "$fixtures/planted_small.json" --method faith-banzhaf-2 --b 4
    validate fb2 --method faith-banzhaf-2 --n 16
    python3 - "$tmp/spex.out" "$tmp/lime.out" "$tmp/kernelshap.out" "$tmp/faith-banzhaf-1.out" "$tmp/fb2.out" <<'PY' ||
import json, sys
spex, lime, kshap, fb1, fb2 = (json.load(open(p)) for p in sys.argv[1:])
problems = []
if not spex["queries"] == lime["queries"] == kshap["queries"] == fb1["queries"]:
    problems.append("query counts differ")
for d in (lime, kshap, fb1):
    if max(len(t["set"]) for t in d["fourier"]) > 1:
        problems.append(d["method"] + " surrogate has interaction terms")
if not any(len(t["set"]) == 2 for t in fb2["fourier"]):
    problems.append("faith-banzhaf-2 surrogate has no pairs")
sys.exit("; ".join(problems) or 0)
PY
        fail "baselines: query counts or surrogate shapes"
    ;;
notes)
    # A budget that cannot afford t = 5 lowers t and says so.
    run lowered solve --function "$fourier" --budget 700
    validate lowered --note-contains "using t = 4"
    python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if (d["t"], d["t_requested"], d["budget"]) == (4, 5, 700) else "t not lowered")' \
        "$tmp/lowered.out" || fail "lowered: t / t_requested / budget"
    ;;
errors)
    # Usage errors: exit 2.
    expect_error no_command 2 "missing command" --
    expect_error bad_command 2 "unknown command 'frobnicate'" -- frobnicate
    expect_error no_function 2 "missing --function" -- solve
    expect_error unknown_flag 2 "unknown option '--bogus'" -- solve --function "$fourier" --bogus 1
    expect_error budget_and_b 2 "--budget and --b" -- solve --function "$fourier" --budget 5000 --b 4
    expect_error missing_value 2 "--seed needs a value" -- solve --function "$fourier" --seed
    expect_error bad_seed 2 "--seed" -- solve --function "$fourier" --seed 12x
    expect_error big_seed 2 "--seed 9007199254740992 is too large" -- solve --function "$fourier" --seed 9007199254740992
    expect_error neg_seed 2 "--seed" -- solve --function "$fourier" --seed -1
    expect_error bad_budget 2 "--budget" -- solve --function "$fourier" --budget 1e5
    expect_error bad_b 2 "--b 0 is out of range" -- solve --function "$fourier" --b 0
    expect_error bad_decoder 2 "--decoder 'medium'" -- solve --function "$fourier" --decoder medium
    expect_error bad_refine 2 "--refine 'yes'" -- solve --function "$fourier" --refine yes
    expect_error bad_noise 2 "--noise 'nan'" -- solve --function "$fourier" --noise nan
    expect_error neg_noise 2 "--noise '-1'" -- solve --function "$fourier" --noise -1
    expect_error bad_index 2 "unknown --index 'XYZ'" -- solve --function "$fourier" --index XYZ
    expect_error bad_method 2 "unknown --method 'shap'" -- solve --function "$fourier" --method shap
    expect_error bad_order 2 "--max-order 0" -- solve --function "$fourier" --max-order 0
    expect_error bad_removal 2 "--removal -1" -- solve --function "$fourier" --removal -1
    expect_error twice 2 "--seed is given twice" -- solve --function "$fourier" --seed 1 --seed 2
    expect_error stray 2 "unexpected argument 'extra'" -- solve --function "$fourier" extra
    # Input and runtime errors: exit 1.
    expect_error budget_small 1 "budget 100 is too small for n = 64: need >= 360 queries \(t = 2, b = 3\)" -- \
        solve --function "$fourier" --budget 100
    expect_error no_file 1 "cannot open function file" -- solve --function "$tmp/does-not-exist.json"
    expect_error dir_file 1 "cannot read function file" -- solve --function "$tmp"
    expect_error bad_out 1 "cannot open output file" -- solve --function "$fourier" --out "$tmp/no/such/dir/r.json"
    expect_error big_t 1 "BCH capability t = 40" -- solve --function "$fourier" --t 40
    error_json malformed 1 "function JSON is malformed" '{"n": 8, "terms": ['
    error_json empty 1 "function JSON is malformed" ''
    error_json not_object 1 "function JSON must be an object" '[1, 2]'
    error_json no_n 1 'function JSON: missing field "n"' '{"terms": []}'
    error_json no_terms 1 'function JSON: missing field "terms"' '{"n": 8}'
    error_json n_zero 1 '"n" 0 is out of range 1..4096' '{"n": 0, "terms": []}'
    error_json n_big 1 '"n" 4097 is out of range 1..4096' '{"n": 4097, "terms": []}'
    error_json n_float 1 '"n" must be an integer' '{"n": 8.5, "terms": []}'
    error_json index_range 1 "term 1: feature index 8 is out of range 0..7" \
        '{"n": 8, "terms": [{"set": [1], "coef": 1}, {"set": [2, 8], "coef": 1}]}'
    error_json index_negative 1 "term 0: feature index -1 is out of range" '{"n": 8, "terms": [{"set": [-1], "coef": 1}]}'
    error_json duplicate_feature 1 "term 0: feature 3 appears twice" '{"n": 8, "terms": [{"set": [3, 3], "coef": 1}]}'
    error_json duplicate_set 1 "term 1: the same set appears in two terms" \
        '{"n": 8, "terms": [{"set": [1, 2], "coef": 1}, {"set": [2, 1], "coef": 2}]}'
    error_json coef_overflow 1 "function JSON is malformed: number overflow" '{"n": 8, "terms": [{"set": [1], "coef": 1e999}]}'
    error_json coef_nan 1 "function JSON is malformed" '{"n": 8, "terms": [{"set": [1], "coef": NaN}]}'
    error_json coef_string 1 'term 0: "coef" must be a number' '{"n": 8, "terms": [{"set": [1], "coef": "2"}]}'
    error_json no_coef 1 'term 0: missing field "coef"' '{"n": 8, "terms": [{"set": [1]}]}'
    error_json bad_basis 1 '"basis" must be "fourier" or "mobius"' '{"n": 8, "basis": "haar", "terms": []}'
    error_json bad_noise_sd 1 '"noise_sd" must be >= 0' '{"n": 8, "terms": [], "noise_sd": -0.5}'
    error_json huge_values 1 "magnitudes above 1e100 overflow the transform; rescale the output" \
        '{"n": 2, "terms": [{"set": [0, 1], "coef": 1e300}, {"set": [0], "coef": 1e300}]}'
    error_json unknown_field 1 'function JSON: unknown field "nosie_sd"' '{"n": 8, "terms": [], "nosie_sd": 1}'
    # 60,000 levels of nesting (100,000 in the report) overflowed the stack when the bad value was printed (SIGSEGV).
    deep=$(python3 -c 'print("[" * 60000 + "]" * 60000)')
    error_json deep_basis 1 "function JSON is malformed: nested more than 64 levels deep" \
        "{\"n\": 8, \"terms\": [], \"basis\": $deep}"
    error_json shown_basis 1 '"basis" must be "fourier" or "mobius", got \[\[\[\[\.\.\.\]\]\]\]$' \
        '{"n": 8, "terms": [], "basis": [[[[[[[[1]]]]]]]]}'
    # /dev/zero and endless input were read without a cap (11 GB after 2 minutes).
    start=$(date +%s)
    expect_error dev_zero 1 "function file '/dev/zero' is larger than 256 MiB" -- solve --function /dev/zero
    head -c 300000000 /dev/zero | expect_error stdin_zero 1 "the function on stdin is larger than 256 MiB" -- \
        solve --function -
    [ $(($(date +%s) - start)) -le 20 ] || fail "refusing oversized input took more than 20 s"
    ;;
help)
    run help --help
    expect_ok help && grep -q "solve" "$tmp/help.out" || fail "--help does not mention solve"
    run solve_help solve --help
    expect_ok solve_help && grep -q -- "--function FILE" "$tmp/solve_help.out" || fail "solve --help lacks --function"
    run version --version
    expect_ok version && grep -Eqx "spexlens [0-9]+\.[0-9]+\.[0-9]+" "$tmp/version.out" ||
        fail "--version: '$(cat "$tmp/version.out")'"
    ;;
*)
    echo "unknown test group '$group'" >&2
    exit 2
    ;;
esac

if [ "$failures" -ne 0 ]; then
    echo "$group: $failures failure(s)" >&2
    exit 1
fi
echo "$group: ok"
