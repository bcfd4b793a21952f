import type { Key } from 'ink';
import type { Screen } from './state/reducer.js';

/** What a key press asks the TUI to do (a CLI subcommand is a `CliCommand`, in cli/args.ts). */
export type KeyAction =
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
  | 'quit'
  | 'confirm-yes'
  | 'confirm-no'
  | 'filter-accept'
  | 'filter-clear'
  | 'filter-erase'
  | 'filter-type'
  | 'status-next'
  | 'mark'
  | 'mark-all'
  | 'export';

/**
 * Where a key is read: one of the screens, or a mode that takes every key while it lasts (the y/N
 * question, editing the `/` filter).
 */
export type KeyContext = Screen | 'confirm' | 'filter';

/**
 * A key: a typed character, one of Ink's named keys, any printable text (`text`), or any key not
 * bound otherwise in its context (`other`, how "y/N" makes No the default).
 */
export type KeySpec = { input: string } | { key: keyof Key } | { text: true } | { other: true };

/** One binding: the keys, where they work, and how the help screen names them. */
export interface Binding {
  action: KeyAction;
  keys: readonly KeySpec[];
  /** How the help screen and status bar write the keys. */
  label: string;
  description: string;
  contexts: readonly KeyContext[];
  /** Hidden and ignored under --read-only. */
  destructive?: boolean;
}

const ALL: readonly KeyContext[] = ['list', 'cart', 'items', 'help', 'summary'];
const DETAIL: readonly KeyContext[] = ['list', 'cart', 'items'];
/** Where the cursor or the view moves: the list and every scrolled screen. */
const MOVE: readonly KeyContext[] = ['list', 'cart', 'items', 'help', 'summary'];

/** Every key binding of the TUI, in help-screen order. */
export const KEYMAP: readonly Binding[] = [
  {
    action: 'up',
    keys: [{ key: 'upArrow' }, { input: 'k' }],
    label: '↑/k',
    description: 'Move up',
    contexts: MOVE,
  },
  {
    action: 'down',
    keys: [{ key: 'downArrow' }, { input: 'j' }],
    label: '↓/j',
    description: 'Move down',
    contexts: MOVE,
  },
  {
    action: 'page-up',
    keys: [{ key: 'pageUp' }, { input: '\u0002' }],
    label: 'PgUp',
    description: 'Page up',
    contexts: MOVE,
  },
  {
    action: 'page-down',
    keys: [{ key: 'pageDown' }, { input: '\u0006' }],
    label: 'PgDn',
    description: 'Page down',
    contexts: MOVE,
  },
  {
    action: 'first',
    keys: [{ input: 'g' }, { key: 'home' }],
    label: 'g',
    description: 'First row',
    contexts: MOVE,
  },
  {
    action: 'last',
    keys: [{ input: 'G' }, { key: 'end' }],
    label: 'G',
    description: 'Last row',
    contexts: MOVE,
  },
  {
    action: 'open',
    keys: [{ key: 'return' }],
    label: 'Enter',
    description: 'Open the cart',
    contexts: ['list'],
  },
  {
    action: 'items',
    keys: [{ input: 'i' }],
    label: 'i',
    description: 'Items of the cart',
    contexts: ['list', 'cart'],
  },
  {
    action: 'filter',
    keys: [{ input: '/' }],
    label: '/',
    description: 'Filter as you type',
    contexts: ['list'],
  },
  {
    action: 'sort',
    keys: [{ input: 's' }],
    label: 's',
    description: 'Sort by the next column (items, value: the carts read so far)',
    contexts: ['list'],
  },
  {
    action: 'sort-reverse',
    keys: [{ input: 'S' }],
    label: 'S',
    description: 'Reverse the sort',
    contexts: ['list'],
  },
  {
    action: 'status-next',
    keys: [{ input: 'v' }],
    label: 'v',
    description: 'View all, active, expiring or expired carts (cycles)',
    contexts: ['list'],
  },
  { action: 'refresh', keys: [{ input: 'r' }], label: 'r', description: 'Refresh', contexts: DETAIL },
  {
    action: 'export',
    keys: [{ input: 'e' }],
    label: 'e',
    description: 'Export the rows shown to a CSV file',
    contexts: ['list'],
  },
  {
    action: 'mark',
    keys: [{ input: ' ' }],
    label: 'Space',
    description: 'Mark or unmark the row',
    contexts: ['list'],
    destructive: true,
  },
  {
    action: 'mark-all',
    keys: [{ input: 'a' }],
    label: 'a',
    description: 'Mark every row shown (again: unmark them)',
    contexts: ['list'],
    destructive: true,
  },
  {
    action: 'delete',
    keys: [{ input: 'd' }],
    label: 'd',
    description: 'Delete the cart, or the marked carts (asks y/N)',
    contexts: ['list', 'cart'],
    destructive: true,
  },
  {
    action: 'back',
    keys: [{ key: 'escape' }],
    label: 'Esc',
    description: 'Back; on the list, clear the marks, then the filter',
    contexts: ALL,
  },
  { action: 'help', keys: [{ input: '?' }], label: '?', description: 'Help', contexts: ALL },
  { action: 'quit', keys: [{ input: 'q' }], label: 'q', description: 'Quit', contexts: ALL },
  {
    action: 'confirm-yes',
    keys: [{ input: 'y' }, { input: 'Y' }],
    label: 'y',
    description: 'Yes, delete',
    contexts: ['confirm'],
    destructive: true,
  },
  {
    action: 'confirm-no',
    keys: [{ other: true }],
    label: 'any other',
    description: 'No, keep it (the default)',
    contexts: ['confirm'],
    destructive: true,
  },
  {
    action: 'filter-type',
    keys: [{ text: true }],
    label: 'text',
    description: 'Narrow to key, name or email',
    contexts: ['filter'],
  },
  {
    action: 'filter-erase',
    keys: [{ key: 'backspace' }, { key: 'delete' }],
    label: '⌫',
    description: 'Erase a character',
    contexts: ['filter'],
  },
  {
    action: 'up',
    keys: [{ key: 'upArrow' }],
    label: '↑',
    description: 'Move up',
    contexts: ['filter'],
  },
  {
    action: 'down',
    keys: [{ key: 'downArrow' }],
    label: '↓',
    description: 'Move down',
    contexts: ['filter'],
  },
  {
    action: 'filter-accept',
    keys: [{ key: 'return' }],
    label: 'Enter',
    description: 'Keep the filter',
    contexts: ['filter'],
  },
  {
    action: 'filter-clear',
    keys: [{ key: 'escape' }],
    label: 'Esc',
    description: 'Clear the filter',
    contexts: ['filter'],
  },
];

/** Headings of the help screen's sections, one per context that has keys of its own. */
export const CONTEXT_TITLES: ReadonlyArray<readonly [KeyContext, string]> = [
  ['list', 'Keys'],
  ['filter', 'While filtering (after /)'],
  ['confirm', 'When asked y/N'],
];

function matches(spec: KeySpec, input: string, key: Key): boolean {
  if ('key' in spec) return key[spec.key] === true;
  if ('input' in spec) return input === spec.input && !key.meta;
  if ('text' in spec) return input !== '' && !key.ctrl && !key.meta && !key.tab && !key.escape;
  return false;
}

/** The bindings that apply in `context` (destructive ones dropped under read-only). */
export function bindingsFor(context: KeyContext, readOnly: boolean): Binding[] {
  return KEYMAP.filter((b) => b.contexts.includes(context) && !(readOnly && b.destructive));
}

/** The action a key press means in `context`, if any. */
export function actionFor(
  context: KeyContext,
  input: string,
  key: Key,
  readOnly: boolean,
): KeyAction | undefined {
  const bindings = bindingsFor(context, readOnly);
  // A named key or character first, then free text, then the catch-all.
  const exact = bindings.find((b) =>
    b.keys.some((spec) => ('key' in spec || 'input' in spec) && matches(spec, input, key)),
  );
  if (exact) return exact.action;
  const typed = bindings.find((b) => b.keys.some((spec) => 'text' in spec && matches(spec, input, key)));
  if (typed) return typed.action;
  return bindings.find((b) => b.keys.some((spec) => 'other' in spec))?.action;
}

/** A short key reminder for the status bar. */
export function keyHint(context: KeyContext, readOnly: boolean, listIsEmpty = false): string {
  // With no rows (empty store, loading, load error) only these keys do anything.
  if (context === 'list' && listIsEmpty)
    return hintOf(bindingsFor(context, readOnly), ['refresh', 'help', 'quit']);
  const wanted: Record<KeyContext, KeyAction[]> = {
    // At most 80 columns: `?` lists the rest.
    list: ['open', 'filter', 'status-next', 'mark', 'delete', 'export', 'help', 'quit'],
    cart: ['items', 'delete', 'back', 'help', 'quit'],
    items: ['back', 'help', 'quit'],
    help: ['back', 'quit'],
    summary: ['back', 'help', 'quit'],
    filter: ['filter-accept', 'filter-clear', 'filter-erase'],
    // The question itself says y/N.
    confirm: [],
  };
  return hintOf(bindingsFor(context, readOnly), wanted[context]);
}

function hintOf(bindings: readonly Binding[], actions: KeyAction[]): string {
  return actions
    .map((action) => bindings.find((b) => b.action === action))
    .filter((b): b is Binding => b !== undefined)
    .map((b) => `${b.label} ${b.description.split(/[ ,;]/)[0]?.toLowerCase()}`)
    .join('  ');
}
