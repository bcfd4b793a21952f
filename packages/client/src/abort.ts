/**
 * A signal that aborts when the caller's does or when `own` does (the client ending work it started
 * itself). Where the runtime lacks `AbortSignal.any`, only the caller's signal is passed on: work
 * the client ends itself then runs to its end, unread.
 */
export function eitherSignal(caller: AbortSignal | undefined, own: AbortSignal): AbortSignal {
  if (!caller) return own;
  return typeof AbortSignal !== 'undefined' && typeof AbortSignal.any === 'function'
    ? AbortSignal.any([caller, own])
    : caller;
}

/** `n` as a count of things in flight: a whole number from 1 (a NaN means 1, `Infinity` stays). */
export function atLeastOne(n: number): number {
  return Number.isNaN(n) ? 1 : Math.max(1, Math.floor(n));
}
