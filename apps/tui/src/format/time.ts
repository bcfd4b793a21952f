/** A session's state derived from its expiry. */
export type SessionStatus = 'active' | 'expiring' | 'expired';

/** Every status, in the order the TUI's status key cycles through them (after "all"). */
export const SESSION_STATUSES: readonly SessionStatus[] = ['active', 'expiring', 'expired'];

/** Sessions expiring within this window are flagged "expiring". */
export const EXPIRING_WINDOW_MS = 6 * 60 * 60 * 1000;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A compact duration: "45s", "12m", "5h", "6d". */
export function shortDuration(ms: number): string {
  const abs = Math.abs(ms);
  if (abs < MINUTE) return `${Math.floor(abs / 1000)}s`;
  if (abs < HOUR) return `${Math.floor(abs / MINUTE)}m`;
  if (abs < DAY) return `${Math.floor(abs / HOUR)}h`;
  return `${Math.floor(abs / DAY)}d`;
}

/**
 * Expiry relative to now.
 * @example relativeExpiry(now + 6.5 * DAY, now) // "in 6d"; relativeExpiry(now - 2 * HOUR, now) // "expired 2h ago"
 */
export function relativeExpiry(expiryMs: number, nowMs: number): string {
  const diff = expiryMs - nowMs;
  return diff > 0 ? `in ${shortDuration(diff)}` : `expired ${shortDuration(diff)} ago`;
}

/** A past moment relative to now: "3d ago", "just now"; future moments read "in 2h". */
export function relativeAge(atMs: number, nowMs: number): string {
  const diff = nowMs - atMs;
  if (diff < 0) return `in ${shortDuration(diff)}`;
  if (diff < MINUTE) return 'just now';
  return `${shortDuration(diff)} ago`;
}

/** active, expiring (within 6 hours) or expired (at or past the expiry). */
export function sessionStatus(expiryMs: number, nowMs: number): SessionStatus {
  const left = expiryMs - nowMs;
  if (left <= 0) return 'expired';
  if (left <= EXPIRING_WINDOW_MS) return 'expiring';
  return 'active';
}

/** "14:05:09" in local time, for the status bar's last refresh. */
export function clockTime(atMs: number): string {
  const d = new Date(atMs);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

const DURATION_UNITS: Record<string, number> = { s: 1000, m: MINUTE, h: HOUR, d: DAY, w: 7 * DAY };

/**
 * A duration typed on the command line: a whole number and a unit among s, m, h, d, w; undefined
 * for anything else ("30x", "1.5d", "-2h", "30").
 * @example parseDuration('30d') // 2_592_000_000
 */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d{1,6})([smhdw])$/.exec(text.trim());
  if (!match) return undefined;
  return Number(match[1]) * (DURATION_UNITS[match[2] ?? ''] ?? Number.NaN);
}
