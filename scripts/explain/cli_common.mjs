// cli_common: what the Node command-line tools (spexlens-explain, spexlens-probe) share: the
// usage error, integer flags, and the start of main() — parse the command line, print --help,
// or stop with exit code 2 and the usage line.

export class UsageError extends Error {}

// A non-negative integer flag value, exactly (no 1e3, no 0x10, nothing past 2^53).
export function integer(flag, value) {
  if (!/^[0-9]+$/.test(value)) throw new UsageError(`${flag}: expected a non-negative integer, got '${value}'`);
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new UsageError(`${flag}: ${value} is too large`);
  return n;
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
