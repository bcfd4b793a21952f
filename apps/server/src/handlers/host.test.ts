import { describe, expect, it } from 'vitest';
import { validHost } from './host.js';

describe('validHost', () => {
  it.each([
    'shop.example',
    'shop.example:8443',
    'localhost',
    'my_service:8080',
    '127.0.0.1:3000',
    '[::1]',
    '[2001:db8::1]:443',
    'xn--bcher-kva.example',
    `${'a'.repeat(63)}.example`,
  ])('keeps %j', (host) => {
    expect(validHost(host)).toBe(host);
  });

  it.each([
    undefined,
    '',
    'a b',
    'x"y',
    'a>; rel="preload"',
    'shop.example:',
    'shop.example:0',
    'shop.example:65536',
    'shop.example:8080:1',
    'user@shop.example',
    'shop.example/path',
    '-shop.example',
    'shop..example',
    `${'a'.repeat(64)}.example`,
    '[::1',
    '[zz::1]',
    'bücher.example',
    'shop.example\r\nX: 1',
    'a'.repeat(261),
  ])('refuses %j', (host) => {
    expect(validHost(host)).toBeUndefined();
  });
});
