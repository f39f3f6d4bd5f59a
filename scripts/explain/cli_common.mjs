// cli_common: what the Node command-line tools (spexlens-explain, spexlens-probe,
// spexlens-probe-layers) share: the usage error, integer and value flags, and the start of main() — parse the command line, print --help,
// or stop with exit code 2 and the usage line.

export class UsageError extends Error {}

// A non-negative integer flag value, exactly (no 1e3, no 0x10, nothing past 2^53).
export function integer(flag, value) {
  if (!/^[0-9]+$/.test(value)) throw new UsageError(`${flag}: expected a non-negative integer, got '${value}'`);
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new UsageError(`${flag}: ${value} is too large`);
  return n;
}

// The value flag at argv[i]: `flags` maps each flag to its field; the flag must be known, have a
// value and not be repeated (`seen` holds the flags met so far). Returns [field, value]: the raw
// string, or for a field in `integers` the integer. The value is argv[i + 1].
export function valueFlag(argv, i, flags, integers, seen) {
  const flag = argv[i];
  const key = flags[flag];
  if (!key) throw new UsageError(`unknown argument '${flag}' (see --help)`);
  if (i + 1 >= argv.length) throw new UsageError(`${flag} needs a value`);
  if (seen.has(flag)) throw new UsageError(`${flag} given twice`);
  seen.add(flag);
  const raw = argv[i + 1];
  return [key, integers.has(key) ? integer(flag, raw) : raw];
}

// `fail(message, code)` that writes "PROGRAM: error: message" to stderr and exits.
export function failer(program) {
  return (message, code) => {
    process.stderr.write(`${program}: error: ${message}\n`);
    process.exit(code);
  };
}

// The parsed arguments, or null after printing --help; a usage error exits 2 with the message
// and the usage line.
export function commandLine(parseArgs, usage, fail) {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    if (e instanceof UsageError) fail(`${e.message}\n${usage.split('\n')[0]}`, 2);
    throw e;
  }
  if (args.help) {
    process.stdout.write(usage + '\n');
    return null;
  }
  return args;
}
