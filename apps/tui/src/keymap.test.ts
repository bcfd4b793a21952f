import type { Key } from 'ink';
import { describe, expect, it } from 'vitest';
import { bindingsFor, commandFor, KEYMAP, keyHint } from './keymap.js';

const none: Key = {
  upArrow: false,
  downArrow: false,
  leftArrow: false,
  rightArrow: false,
  pageDown: false,
  pageUp: false,
  home: false,
  end: false,
  return: false,
  escape: false,
  ctrl: false,
  shift: false,
  tab: false,
  backspace: false,
  delete: false,
  meta: false,
  super: false,
  hyper: false,
  capsLock: false,
  numLock: false,
};
const key = (k: Partial<Key>): Key => ({ ...none, ...k });

describe('keymap', () => {
  it('maps the SPEC keys on the list', () => {
    const on = (input: string, k: Partial<Key> = {}) => commandFor('list', input, key(k), false);
    expect(on('j')).toBe('down');
    expect(on('', { downArrow: true })).toBe('down');
    expect(on('k')).toBe('up');
    expect(on('g')).toBe('first');
    expect(on('G')).toBe('last');
    expect(on('', { pageUp: true })).toBe('page-up');
    expect(on('', { pageDown: true })).toBe('page-down');
    expect(on('/')).toBe('filter');
    expect(on('s')).toBe('sort');
    expect(on('S')).toBe('sort-reverse');
    expect(on('r')).toBe('refresh');
    expect(on('', { return: true })).toBe('open');
    expect(on('i')).toBe('items');
    expect(on('d')).toBe('delete');
    expect(on('?')).toBe('help');
    expect(on('q')).toBe('quit');
    expect(on('x')).toBeUndefined();
  });
  it('drops delete under read-only, everywhere', () => {
    expect(commandFor('list', 'd', none, true)).toBeUndefined();
    expect(bindingsFor('cart', true).some((b) => b.destructive)).toBe(false);
    expect(keyHint('list', true)).not.toContain('delete');
    expect(keyHint('list', false)).toContain('d delete');
  });
  it('offers only refresh, help and quit while the list has no rows', () => {
    expect(keyHint('list', false, true)).toBe('r refresh  ? help  q quit');
  });
  it('Esc goes back on every screen', () => {
    for (const screen of ['list', 'cart', 'items', 'help'] as const) {
      expect(commandFor(screen, '', key({ escape: true }), false)).toBe('back');
    }
  });
  it('has no key bound twice on one screen', () => {
    for (const screen of ['list', 'cart', 'items', 'help'] as const) {
      const specs = bindingsFor(screen, false).flatMap((b) => b.keys.map((k) => JSON.stringify(k)));
      expect(new Set(specs).size).toBe(specs.length);
    }
    expect(KEYMAP.length).toBeGreaterThan(10);
  });
});
