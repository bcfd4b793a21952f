import type { Key } from 'ink';
import type { Screen } from './state/reducer.js';

/** What a key press asks for. */
export type Command =
  | 'up'
  | 'down'
  | 'page-up'
  | 'page-down'
  | 'first'
  | 'last'
  | 'open'
  | 'items'
  | 'back'
  | 'filter'
  | 'sort'
  | 'sort-reverse'
  | 'refresh'
  | 'delete'
  | 'help'
  | 'quit';

/** A key: a typed character, or one of Ink's named keys. */
export type KeySpec = { input: string } | { key: keyof Key };

/** One binding: the keys, where they work, and how the help screen names them. */
export interface Binding {
  command: Command;
  keys: readonly KeySpec[];
  /** How the help screen and status bar write the keys. */
  label: string;
  description: string;
  screens: readonly Screen[];
  /** Hidden and ignored under --read-only. */
  destructive?: boolean;
}

const ALL: readonly Screen[] = ['list', 'cart', 'items', 'help'];
const DETAIL: readonly Screen[] = ['list', 'cart', 'items'];

/** Every key binding of the TUI, in help-screen order. */
export const KEYMAP: readonly Binding[] = [
  {
    command: 'up',
    keys: [{ key: 'upArrow' }, { input: 'k' }],
    label: '↑/k',
    description: 'Move up',
    screens: DETAIL,
  },
  {
    command: 'down',
    keys: [{ key: 'downArrow' }, { input: 'j' }],
    label: '↓/j',
    description: 'Move down',
    screens: DETAIL,
  },
  {
    command: 'page-up',
    keys: [{ key: 'pageUp' }, { input: '\u0002' }],
    label: 'PgUp',
    description: 'Page up',
    screens: DETAIL,
  },
  {
    command: 'page-down',
    keys: [{ key: 'pageDown' }, { input: '\u0006' }],
    label: 'PgDn',
    description: 'Page down',
    screens: DETAIL,
  },
  {
    command: 'first',
    keys: [{ input: 'g' }, { key: 'home' }],
    label: 'g',
    description: 'First row',
    screens: DETAIL,
  },
  {
    command: 'last',
    keys: [{ input: 'G' }, { key: 'end' }],
    label: 'G',
    description: 'Last row',
    screens: DETAIL,
  },
  {
    command: 'open',
    keys: [{ key: 'return' }],
    label: 'Enter',
    description: 'Open the cart',
    screens: ['list'],
  },
  {
    command: 'items',
    keys: [{ input: 'i' }],
    label: 'i',
    description: 'Items of the cart',
    screens: ['list', 'cart'],
  },
  {
    command: 'filter',
    keys: [{ input: '/' }],
    label: '/',
    description: 'Filter as you type',
    screens: ['list'],
  },
  {
    command: 'sort',
    keys: [{ input: 's' }],
    label: 's',
    description: 'Sort by the next column',
    screens: ['list'],
  },
  {
    command: 'sort-reverse',
    keys: [{ input: 'S' }],
    label: 'S',
    description: 'Reverse the sort',
    screens: ['list'],
  },
  { command: 'refresh', keys: [{ input: 'r' }], label: 'r', description: 'Refresh', screens: DETAIL },
  {
    command: 'delete',
    keys: [{ input: 'd' }],
    label: 'd',
    description: 'Delete the cart (asks y/N)',
    screens: ['list', 'cart'],
    destructive: true,
  },
  { command: 'back', keys: [{ key: 'escape' }], label: 'Esc', description: 'Back', screens: ALL },
  { command: 'help', keys: [{ input: '?' }], label: '?', description: 'Help', screens: ALL },
  { command: 'quit', keys: [{ input: 'q' }], label: 'q', description: 'Quit', screens: ALL },
];

function matches(spec: KeySpec, input: string, key: Key): boolean {
  if ('key' in spec) return key[spec.key] === true;
  return input === spec.input && !key.meta;
}

/** The bindings that apply on `screen` (destructive ones dropped under read-only). */
export function bindingsFor(screen: Screen, readOnly: boolean): Binding[] {
  return KEYMAP.filter((b) => b.screens.includes(screen) && !(readOnly && b.destructive));
}

/** The command a key press means on `screen`, if any. */
export function commandFor(screen: Screen, input: string, key: Key, readOnly: boolean): Command | undefined {
  return bindingsFor(screen, readOnly).find((b) => b.keys.some((spec) => matches(spec, input, key)))?.command;
}

/** A short key reminder for the status bar. */
export function keyHint(screen: Screen, readOnly: boolean, listIsEmpty = false): string {
  // With no rows (empty store, loading, load error) only these keys do anything.
  if (screen === 'list' && listIsEmpty)
    return hintOf(bindingsFor(screen, readOnly), ['refresh', 'help', 'quit']);
  const wanted: Record<Screen, Command[]> = {
    list: ['open', 'items', 'filter', 'sort', 'refresh', 'delete', 'help', 'quit'],
    cart: ['items', 'delete', 'back', 'help', 'quit'],
    items: ['back', 'help', 'quit'],
    help: ['back', 'quit'],
  };
  return hintOf(bindingsFor(screen, readOnly), wanted[screen]);
}

function hintOf(bindings: readonly Binding[], commands: Command[]): string {
  return commands
    .map((command) => bindings.find((b) => b.command === command))
    .filter((b): b is Binding => b !== undefined)
    .map((b) => `${b.label} ${b.description.split(' ')[0]?.toLowerCase()}`)
    .join('  ');
}
