/** The two lowercase hex digits of each byte value, by value: keys and hashes are made a byte at a time. */
export const HEX_BYTES: readonly string[] = Array.from({ length: 256 }, (_, byte) =>
  byte.toString(16).padStart(2, '0'),
);
