// png_stats: enough PNG reading to tell a rendered page from a blank one, without a decoder
// dependency: inflate the image data and measure how varied the pixels are; and a small
// decoder of the PNGs Chromium writes (8-bit RGB or RGBA, not interlaced) for looking at
// regions of a screenshot (is the text drawn at the size the layout says, is the window's
// edge drawn, or is there a dead strip).
import { inflateSync } from 'node:zlib';

function chunks(buffer) {
  const signature = '89504e470d0a1a0a';
  if (buffer.subarray(0, 8).toString('hex') !== signature) throw new Error('not a PNG file');
  let offset = 8;
  let header = null;
  const idat = [];
  while (offset < buffer.length) {
    const length = buffer.readUInt32BE(offset);
    const type = buffer.toString('ascii', offset + 4, offset + 8);
    const data = buffer.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      header = { width: data.readUInt32BE(0), height: data.readUInt32BE(4), bitDepth: data[8], colorType: data[9],
        interlace: data[12] };
    } else if (type === 'IDAT') {
      idat.push(data);
    }
    offset += 12 + length;
  }
  if (!header) throw new Error('PNG without IHDR');
  return { header, raw: inflateSync(Buffer.concat(idat)) };
}

export function pngStats(buffer) {
  const { header, raw } = chunks(buffer);
  const counts = new Map();
  for (const byte of raw) counts.set(byte, (counts.get(byte) || 0) + 1);
  const mostCommon = Math.max(...counts.values());
  return { width: header.width, height: header.height, distinctBytes: counts.size, dominantFraction: mostCommon / raw.length };
}

// A blank (single-colour) screenshot compresses to a few distinct bytes, dominated by one.
export function looksRendered(stats) {
  return stats.distinctBytes > 40 && stats.dominantFraction < 0.97;
}

// Decodes an 8-bit RGB or RGBA, non-interlaced PNG: { width, height, luma(x, y) } with luma the
// pixel's brightness 0..255 (Rec. 601 weights; alpha ignored).
export function decodePng(buffer) {
  const { header, raw } = chunks(buffer);
  const { width, height, bitDepth, colorType, interlace } = header;
  if (bitDepth !== 8 || (colorType !== 2 && colorType !== 6) || interlace !== 0) {
    throw new Error(`unsupported PNG (bit depth ${bitDepth}, colour type ${colorType}, interlace ${interlace})`);
  }
  const bpp = colorType === 6 ? 4 : 3;
  const stride = width * bpp;
  const pixels = Buffer.alloc(stride * height);
  let previous = Buffer.alloc(stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const out = pixels.subarray(y * stride, (y + 1) * stride);
    for (let i = 0; i < stride; i++) {
      const a = i >= bpp ? out[i - bpp] : 0;
      const b = previous[i];
      const c = i >= bpp ? previous[i - bpp] : 0;
      let v = line[i];
      if (filter === 1) v += a;
      else if (filter === 2) v += b;
      else if (filter === 3) v += (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      } else if (filter !== 0) {
        throw new Error(`bad PNG filter ${filter} on row ${y}`);
      }
      out[i] = v & 255;
    }
    previous = out;
  }
  return {
    width,
    height,
    luma(x, y) {
      const i = y * stride + x * bpp;
      return 0.299 * pixels[i] + 0.587 * pixels[i + 1] + 0.114 * pixels[i + 2];
    },
  };
}

// The rows (first, last) of the region [x0, x1) x [y0, y1) that hold a pixel darker than
// `below`, or null when none does: the vertical extent of text drawn there.
export function darkRows(image, x0, y0, x1, y1, below = 100) {
  let first = -1;
  let last = -1;
  for (let y = Math.max(0, y0); y < Math.min(image.height, y1); y++) {
    for (let x = Math.max(0, x0); x < Math.min(image.width, x1); x++) {
      if (image.luma(x, y) < below) {
        if (first < 0) first = y;
        last = y;
        break;
      }
    }
  }
  return first < 0 ? null : { first, last };
}

// The share of the pixels of column x (rows y0..y1) darker than `below`: near 1 on a drawn
// border line, 0 in an empty strip.
export function darkShareOfColumn(image, x, y0, y1, below) {
  let dark = 0;
  for (let y = y0; y < y1; y++) if (image.luma(x, y) < below) dark += 1;
  return dark / Math.max(1, y1 - y0);
}

// The same for row y (columns x0..x1).
export function darkShareOfRow(image, y, x0, x1, below) {
  let dark = 0;
  for (let x = x0; x < x1; x++) if (image.luma(x, y) < below) dark += 1;
  return dark / Math.max(1, x1 - x0);
}

// The share of all pixels darker than `below`: text on the page's light panels gives a few
// percent; a blank (white or clear-colour) image gives 0, a black one 1.
export function inkShare(image, below = 128) {
  let dark = 0;
  for (let y = 0; y < image.height; y++) for (let x = 0; x < image.width; x++) if (image.luma(x, y) < below) dark += 1;
  return dark / (image.width * image.height);
}
