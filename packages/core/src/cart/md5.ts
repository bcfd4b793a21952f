// MD5 per RFC 1321, for WooCommerce-style item keys and cart hashes without a `node:` import (the
// core runs in browsers too). Every cart write hashes its cart (`cart_hash`), so this is on the
// server's write path: the words of a block are read once into a typed array and each of the four
// rounds runs its own loop, instead of a DataView read and a branch on the round at every step.
import { HEX_BYTES } from '../hex.js';

const MD5_SHIFTS = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];
const MD5_CONSTANTS = Int32Array.from(
  { length: 64 },
  (_, i) => Math.floor(Math.abs(Math.sin(i + 1)) * 2 ** 32) | 0,
);
const encoder = new TextEncoder();
/** The current block's 16 little-endian words (one hash at a time: the function never yields). */
const words = new Int32Array(16);

function rotate(value: number, shift: number): number {
  return (value << shift) | (value >>> (32 - shift));
}

/** Lowercase hex MD5 of the UTF-8 bytes of `text` (not for security: keys and hashes only). */
export function md5Hex(text: string): string {
  const bytes = encoder.encode(text);
  const padded = new Uint8Array((((bytes.length + 8) >>> 6) + 1) * 64);
  padded.set(bytes);
  padded[bytes.length] = 0x80;
  const bits = bytes.length * 8;
  const end = padded.length;
  for (let i = 0; i < 4; i++) {
    padded[end - 8 + i] = (bits >>> (i * 8)) & 0xff;
    padded[end - 4 + i] = (Math.floor(bits / 2 ** 32) >>> (i * 8)) & 0xff;
  }
  let h0 = 0x67452301;
  let h1 = 0xefcdab89 | 0;
  let h2 = 0x98badcfe | 0;
  let h3 = 0x10325476;
  for (let offset = 0; offset < end; offset += 64) {
    for (let w = 0; w < 16; w++) {
      const at = offset + w * 4;
      words[w] = padded[at]! | (padded[at + 1]! << 8) | (padded[at + 2]! << 16) | (padded[at + 3]! << 24);
    }
    let a = h0;
    let b = h1;
    let c = h2;
    let d = h3;
    let f: number;
    for (let i = 0; i < 16; i++) {
      f = (b & c) | (~b & d);
      f = (a + f + MD5_CONSTANTS[i]! + words[i]!) | 0;
      a = d;
      d = c;
      c = b;
      b = (b + rotate(f, MD5_SHIFTS[i & 3]!)) | 0;
    }
    for (let i = 16; i < 32; i++) {
      f = (d & b) | (~d & c);
      f = (a + f + MD5_CONSTANTS[i]! + words[(5 * i + 1) & 15]!) | 0;
      a = d;
      d = c;
      c = b;
      b = (b + rotate(f, MD5_SHIFTS[4 + (i & 3)]!)) | 0;
    }
    for (let i = 32; i < 48; i++) {
      f = b ^ c ^ d;
      f = (a + f + MD5_CONSTANTS[i]! + words[(3 * i + 5) & 15]!) | 0;
      a = d;
      d = c;
      c = b;
      b = (b + rotate(f, MD5_SHIFTS[8 + (i & 3)]!)) | 0;
    }
    for (let i = 48; i < 64; i++) {
      f = c ^ (b | ~d);
      f = (a + f + MD5_CONSTANTS[i]! + words[(7 * i) & 15]!) | 0;
      a = d;
      d = c;
      c = b;
      b = (b + rotate(f, MD5_SHIFTS[12 + (i & 3)]!)) | 0;
    }
    h0 = (h0 + a) | 0;
    h1 = (h1 + b) | 0;
    h2 = (h2 + c) | 0;
    h3 = (h3 + d) | 0;
  }
  return hexOf(h0) + hexOf(h1) + hexOf(h2) + hexOf(h3);
}

/** A state word's four bytes in hex, least significant first (MD5's output order). */
function hexOf(word: number): string {
  return (
    HEX_BYTES[word & 0xff]! +
    HEX_BYTES[(word >>> 8) & 0xff]! +
    HEX_BYTES[(word >>> 16) & 0xff]! +
    HEX_BYTES[(word >>> 24) & 0xff]!
  );
}
