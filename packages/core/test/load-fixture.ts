import { readFileSync } from 'node:fs';
import { CoreError, type CoreErrorCode } from '../src/errors.js';
import { type Currency, CurrencySchema } from '../src/schemas/currency.js';

/** Names of the seed's payloads in the repo's one fixtures/ directory. */
export type FixtureName = 'sessions-list' | 'session-cart' | 'session-items' | 'session-delete';

/** The raw text of a seed fixture. */
export function fixtureText(name: FixtureName): string {
  return readFileSync(new URL(`../../../fixtures/${name}.json`, import.meta.url), 'utf8');
}

/** A fresh parsed copy of a seed fixture (callers may mutate it). */
export function loadFixture(name: FixtureName): unknown {
  return JSON.parse(fixtureText(name));
}

/** Untyped JSON, so that tests can build variants of the seed by plain assignment. */
// biome-ignore lint/suspicious/noExplicitAny: tests reach deep into fixtures to break them on purpose.
export type LooseJson = Record<string, any>;

/** A fresh copy of the seed's cart as loose JSON, for building variants. */
export function seedCartJson(): LooseJson {
  return loadFixture('session-cart') as LooseJson;
}

/** The seed cart's currency (GBP, £ prefix, 2 decimals), parsed. */
export function seedCurrency(): Currency {
  return CurrencySchema.parse(seedCartJson().currency);
}

/** The CoreError code `run` throws, or undefined when it does not throw; other errors propagate. */
export function coreErrorCodeOf(run: () => unknown): CoreErrorCode | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof CoreError) return error.code;
    throw error;
  }
  return undefined;
}
