import { readFileSync } from 'node:fs';

/**
 * The version of @cocart-sessions/tui, read from its package.json: the nearest one above this file,
 * whether it runs from src/, from dist/ or from the bundled bin.
 */
export function tuiVersion(): string {
  for (let up = '../'; up.length <= 12; up += '../') {
    try {
      const pkg = JSON.parse(readFileSync(new URL(`${up}package.json`, import.meta.url), 'utf8'));
      if (pkg.name === '@cocart-sessions/tui') return String(pkg.version);
    } catch {}
  }
  return 'unknown';
}
