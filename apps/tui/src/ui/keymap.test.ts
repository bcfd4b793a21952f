import type { Key } from 'ink';
import { describe, expect, it } from 'vitest';
import { actionFor, bindingsFor, KEYMAP, keyHint } from './keymap.js';
import { helpLines } from './screens/help-screen.js';

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
    const on = (input: string, k: Partial<Key> = {}) => actionFor('list', input, key(k), false);
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
    expect(on('v')).toBe('status-next');
    expect(on(' ')).toBe('mark');
    expect(on('a')).toBe('mark-all');
    expect(on('e')).toBe('export');
    expect(on('x')).toBeUndefined();
  });
  it('hides marking under read-only but keeps the status view and export', () => {
    const ro = (input: string) => actionFor('list', input, none, true);
    expect(ro(' ')).toBeUndefined();
    expect(ro('a')).toBeUndefined();
    expect(ro('v')).toBe('status-next');
    expect(ro('e')).toBe('export');
    expect(keyHint('list', true)).not.toContain('mark');
  });
  it('drops delete under read-only, everywhere', () => {
    expect(actionFor('list', 'd', none, true)).toBeUndefined();
    expect(bindingsFor('cart', true).some((b) => b.destructive)).toBe(false);
    expect(keyHint('list', true)).not.toContain('delete');
    expect(keyHint('list', false)).toContain('d delete');
  });
  it('offers only refresh, help and quit while the list has no rows', () => {
    expect(keyHint('list', false, true)).toBe('r refresh  ? help  q quit');
  });
  it('scrolls the help and the summary screens', () => {
    for (const screen of ['help', 'summary'] as const) {
      expect(actionFor(screen, 'G', none, false)).toBe('last');
      expect(actionFor(screen, '', key({ pageDown: true }), false)).toBe('page-down');
    }
  });
  it('Esc goes back on every screen', () => {
    for (const screen of ['list', 'cart', 'items', 'help', 'summary'] as const) {
      expect(actionFor(screen, '', key({ escape: true }), false)).toBe('back');
    }
  });
  it('answers the y/N question from the keymap: y or Y deletes, any other key keeps the cart', () => {
    expect(actionFor('confirm', 'y', none, false)).toBe('confirm-yes');
    expect(actionFor('confirm', 'Y', none, false)).toBe('confirm-yes');
    for (const other of ['n', 'N', 'q', 'd', ' '])
      expect(actionFor('confirm', other, none, false)).toBe('confirm-no');
    expect(actionFor('confirm', '', key({ return: true }), false)).toBe('confirm-no');
    expect(actionFor('confirm', '', key({ escape: true }), false)).toBe('confirm-no');
  });
  it('edits the filter from the keymap: text is typed, not taken as commands', () => {
    const on = (input: string, k: Partial<Key> = {}) => actionFor('filter', input, key(k), false);
    for (const typed of ['q', 'd', 'j', 's', '/', '田']) expect(on(typed)).toBe('filter-type');
    expect(on('', { return: true })).toBe('filter-accept');
    expect(on('', { escape: true })).toBe('filter-clear');
    expect(on('', { backspace: true })).toBe('filter-erase');
    expect(on('', { delete: true })).toBe('filter-erase');
    expect(on('', { downArrow: true })).toBe('down');
    expect(on('', { upArrow: true })).toBe('up');
    expect(on('x', { ctrl: true })).toBeUndefined();
    expect(keyHint('filter', false)).toBe('Enter keep  Esc clear  ⌫ erase');
  });
  it('generates the help screen from every binding, the y/N and filter keys included', () => {
    const help = helpLines(false).map((l) => l.text);
    for (const b of KEYMAP) {
      expect(
        help.some((l) => l.startsWith(`  ${b.label} `) && l.endsWith(b.description)),
        b.action,
      ).toBe(true);
    }
    expect(help).toContain('While filtering (after /)');
    expect(help).toContain('When asked y/N');
    const readOnly = helpLines(true).map((l) => l.text);
    expect(readOnly).not.toContain('When asked y/N');
    for (const b of KEYMAP.filter((b) => b.destructive)) {
      expect(readOnly.some((l) => l.endsWith(b.description))).toBe(false);
    }
  });
  it('has no key bound twice in one context', () => {
    for (const screen of ['list', 'cart', 'items', 'help', 'filter', 'confirm'] as const) {
      const specs = bindingsFor(screen, false).flatMap((b) => b.keys.map((k) => JSON.stringify(k)));
      expect(new Set(specs).size).toBe(specs.length);
    }
    expect(KEYMAP.length).toBeGreaterThan(10);
  });
});
