// zip_fixtures: .zip archives of model folders for the command-line and page tests, written by
// Python's zipfile (as a user's tools would) and, for zip bombs, made to lie about their sizes.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

// writeZip(file, entries): entries [[arcname, source file or {text} or {zeros: n}]], written by
// Python's zipfile with deflate (what `zip`, Windows and macOS produce, minus their quirks).
export function writeZip(file, entries) {
  const program = `
import json, sys, zipfile
out, entries = sys.argv[1], json.loads(sys.argv[2])
with zipfile.ZipFile(out, 'w', zipfile.ZIP_DEFLATED) as z:
    for arc, src in entries:
        if isinstance(src, str):
            z.write(src, arc)
        elif 'zeros' in src:
            z.writestr(arc, bytes(src['zeros']))
        else:
            z.writestr(arc, src['text'])
`;
  execFileSync('/usr/bin/python3', ['-c', program, file, JSON.stringify(entries)]);
  return file;
}

// Rewrites the sizes an entry declares, in its local header and the central directory (the way
// a zip bomb lies). size: the uncompressed size to declare.
export function declareSize(file, name, size) {
  const b = readFileSync(file);
  let patched = 0;
  for (let at = 0; at + 46 <= b.length; at++) {
    const sig = b.readUInt32LE(at);
    if (sig === 0x04034b50 && b.toString('utf8', at + 30, at + 30 + b.readUInt16LE(at + 26)) === name) {
      b.writeUInt32LE(size, at + 22);
      patched++;
    } else if (sig === 0x02014b50 && b.toString('utf8', at + 46, at + 46 + b.readUInt16LE(at + 28)) === name) {
      b.writeUInt32LE(size, at + 24);
      patched++;
    }
  }
  if (patched !== 2) throw new Error(`patched ${patched} headers of ${name}`);
  writeFileSync(file, b);
  return file;
}
