import { describe, expect, it } from 'vitest';
import { clockTime, relativeAge, relativeExpiry, sessionStatus, shortDuration } from './time.js';

const NOW = Date.UTC(2021, 3, 25, 12, 0, 0);
const H = 3_600_000;
const D = 24 * H;

describe('relativeExpiry', () => {
  it('reads the issue examples', () => {
    expect(relativeExpiry(NOW + 6 * D + 5 * H, NOW)).toBe('in 6d');
    expect(relativeExpiry(NOW - 2 * H - 59_000, NOW)).toBe('expired 2h ago');
  });
  it('uses minutes and seconds for short spans', () => {
    expect(relativeExpiry(NOW + 90_000, NOW)).toBe('in 1m');
    expect(relativeExpiry(NOW - 30_000, NOW)).toBe('expired 30s ago');
  });
  it('counts the expiry instant as expired', () => {
    expect(relativeExpiry(NOW, NOW)).toBe('expired 0s ago');
  });
});

describe('sessionStatus', () => {
  it('is active beyond 6 hours, expiring within, expired at or past the expiry', () => {
    expect(sessionStatus(NOW + 6 * H + 1, NOW)).toBe('active');
    expect(sessionStatus(NOW + 6 * H, NOW)).toBe('expiring');
    expect(sessionStatus(NOW + 1, NOW)).toBe('expiring');
    expect(sessionStatus(NOW, NOW)).toBe('expired');
    expect(sessionStatus(NOW - D, NOW)).toBe('expired');
  });
});

describe('relativeAge and helpers', () => {
  it('says how long ago', () => {
    expect(relativeAge(NOW - 3 * D, NOW)).toBe('3d ago');
    expect(relativeAge(NOW - 10_000, NOW)).toBe('just now');
    expect(relativeAge(NOW + 2 * H, NOW)).toBe('in 2h');
  });
  it('shortDuration floors to the largest unit', () => {
    expect(shortDuration(59_999)).toBe('59s');
    expect(shortDuration(-25 * H)).toBe('1d');
  });
  it('clockTime pads', () => {
    expect(clockTime(new Date(2021, 0, 1, 3, 4, 5).getTime())).toBe('03:04:05');
  });
});
