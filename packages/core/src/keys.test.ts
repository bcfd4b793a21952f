import { describe, expect, it } from 'vitest';
import { CoreError } from './errors.js';
import { assertCartKey, CART_KEY_PATTERN, generateGuestKey, isCartKey } from './keys.js';

describe('cart keys', () => {
  it("accepts the seed's keys and up to 42 word characters", () => {
    for (const key of [
      '1',
      'afa399e3a0647fe660438409d9ad7eb9',
      '8f36f08beca94f2b51faedcb7c6864b8',
      'A_z_0',
    ]) {
      expect(isCartKey(key)).toBe(true);
      expect(assertCartKey(key)).toBe(key);
    }
    expect(assertCartKey('a'.repeat(42))).toBe('a'.repeat(42));
    expect(CART_KEY_PATTERN.test('a'.repeat(42))).toBe(true);
  });

  it.each(['a'.repeat(43), '../x', 'a b', '%00', '', 'key\n', 'clé', 'a-b', 'a.b'])(
    'rejects %j with invalid_cart_key',
    (key) => {
      expect(isCartKey(key)).toBe(false);
      try {
        assertCartKey(key);
        expect.fail('expected CoreError');
      } catch (e) {
        expect(e).toBeInstanceOf(CoreError);
        expect((e as CoreError).code).toBe('invalid_cart_key');
        expect((e as CoreError).input).toBe(key);
      }
    },
  );

  it('rejects non-strings', () => {
    expect(isCartKey(1)).toBe(false);
    expect(isCartKey(null)).toBe(false);
    expect(() => assertCartKey(undefined)).toThrow(CoreError);
  });
});

describe('generateGuestKey', () => {
  it('gives 32 lowercase hex characters, a valid cart key, different every call', () => {
    const a = generateGuestKey();
    const b = generateGuestKey();
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(b).toMatch(/^[0-9a-f]{32}$/);
    expect(isCartKey(a)).toBe(true);
    expect(a).not.toBe(b);
    expect(new Set(Array.from({ length: 1000 }, generateGuestKey)).size).toBe(1000);
  });
});
