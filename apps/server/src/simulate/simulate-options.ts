import { parseArgs } from 'node:util';

/** What `simulate` does, from its flags. */
export interface SimulateOptions {
  /** The store root (`http://127.0.0.1:8080`). */
  url: string;
  /** WordPress's `rest_url_prefix` of the store. */
  wpApiPrefix: string;
  /** Cart writes per second (new carts, items added, changed or removed, names, clears). */
  rate: number;
  /** Seconds to run; `undefined`: until SIGINT or SIGTERM. */
  duration: number | undefined;
  seed: number;
  /** Requests in flight at most. */
  concurrency: number;
  /** Shoppers with an open cart at most; past it nobody new arrives until someone leaves. */
  maxOpen: number;
  /** Seconds between two summary lines (0: none). */
  every: number;
  /** A line per action. */
  verbose: boolean;
  /** The final summary as one JSON object, and nothing else on stdout. */
  json: boolean;
}

export const SIMULATE_USAGE = `  simulate [--url URL] [--rate N] [--duration S] [--seed S] [--concurrency N] [--max-open N]
           [--every S] [--verbose] [--json] [--wp-api-prefix P]
                                       shopper traffic through the public cart API of a running
                                       server: N cart writes a second (default 5), until SIGINT`;

/** A flag of `simulate` with a wrong value (commands.ts prints it with the usage). */
export class SimulateUsageError extends Error {
  override readonly name = 'SimulateUsageError';
}

function numberFlag(name: string, value: string | undefined, min: number, max: number, whole: boolean) {
  if (value === undefined) return undefined;
  const n = Number(value);
  const pattern = whole ? /^\d+$/ : /^\d+(\.\d+)?$/;
  if (!pattern.test(value) || n < min || n > max) {
    const kind = whole ? 'an integer' : 'a number';
    throw new SimulateUsageError(`--${name} must be ${kind} from ${min} to ${max}, got "${value}".`);
  }
  return n;
}

/** Parses the flags of `simulate` (everything after the command name). */
export function parseSimulateArgs(args: string[]): SimulateOptions {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        url: { type: 'string' },
        'wp-api-prefix': { type: 'string' },
        rate: { type: 'string' },
        duration: { type: 'string' },
        seed: { type: 'string' },
        concurrency: { type: 'string' },
        'max-open': { type: 'string' },
        every: { type: 'string' },
        verbose: { type: 'boolean' },
        json: { type: 'boolean' },
      },
    }));
  } catch (e) {
    throw new SimulateUsageError((e as Error).message);
  }
  const str = (name: string) => values[name] as string | undefined;
  const url = str('url') ?? 'http://127.0.0.1:8080';
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
    throw new SimulateUsageError(`--url must be an http:// or https:// URL, got "${url}".`);
  }
  return {
    url,
    wpApiPrefix: str('wp-api-prefix') ?? 'wp-json',
    rate: numberFlag('rate', str('rate'), 0.1, 10_000, false) ?? 5,
    duration: numberFlag('duration', str('duration'), 0.1, 31_536_000, false),
    seed: numberFlag('seed', str('seed'), 0, 2 ** 31 - 1, true) ?? 1,
    concurrency: numberFlag('concurrency', str('concurrency'), 1, 256, true) ?? 8,
    maxOpen: numberFlag('max-open', str('max-open'), 1, 1_000_000, true) ?? 200,
    every: numberFlag('every', str('every'), 0, 3600, false) ?? 5,
    verbose: values.verbose === true,
    json: values.json === true,
  };
}
