// png_stats: enough PNG reading to tell a rendered page from a blank one, without a decoder
// dependency: inflate the image data and measure how varied the pixels are.
import { inflateSync } from 'node:zlib';

export function pngStats(buffer) {
  const signature = '89504e470d0a1a0a';
  if (buffer.subarray(0, 8).toString('hex') !== signature) throw new Error('not a PNG file');
  let offset = 8;
  let width = 0;
  let height = 0;
  const idat = [];
  while (offset < buffer.length) {
    const length = buffer.readUInt32BE(offset);
    const type = buffer.toString('ascii', offset + 4, offset + 8);
    const data = buffer.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
    } else if (type === 'IDAT') {
      idat.push(data);
    }
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const counts = new Map();
  for (const byte of raw) counts.set(byte, (counts.get(byte) || 0) + 1);
  const mostCommon = Math.max(...counts.values());
  return { width, height, distinctBytes: counts.size, dominantFraction: mostCommon / raw.length };
}

// A blank (single-colour) screenshot compresses to a few distinct bytes, dominated by one.
export function looksRendered(stats) {
  return stats.distinctBytes > 40 && stats.dominantFraction < 0.97;
}
