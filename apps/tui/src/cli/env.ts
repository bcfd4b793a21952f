import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

/** Connection settings and display preferences read from the environment. */
export interface TuiEnv {
  url?: string;
  username?: string;
  password?: string;
  consumerKey?: string;
  consumerSecret?: string;
  /** https://no-color.org: any non-empty value turns colour off. */
  noColor: boolean;
  /** The saved connection to use (COCART_PROFILE); `--profile` wins. */
  profile?: string;
  /** Where the profiles live: `$XDG_CONFIG_HOME/cocart-sessions`, else `~/.config/cocart-sessions`. */
  configDir: string;
}

const nonEmpty = (value: string | undefined): string | undefined =>
  value === undefined || value === '' ? undefined : value;

/**
 * Reads the TUI's environment variables; the only place that touches `process.env`.
 * @example readEnv({ COCART_URL: 'http://127.0.0.1:8080' }).url // 'http://127.0.0.1:8080'
 */
export function readEnv(env: NodeJS.ProcessEnv = process.env): TuiEnv {
  return {
    url: nonEmpty(env.COCART_URL),
    username: nonEmpty(env.COCART_USERNAME),
    password: nonEmpty(env.COCART_PASSWORD),
    consumerKey: nonEmpty(env.COCART_CONSUMER_KEY),
    consumerSecret: nonEmpty(env.COCART_CONSUMER_SECRET),
    noColor: nonEmpty(env.NO_COLOR) !== undefined,
    profile: nonEmpty(env.COCART_PROFILE),
    // The XDG base directory spec: a relative XDG_CONFIG_HOME is invalid and ignored.
    configDir: join(
      isAbsolute(env.XDG_CONFIG_HOME ?? '')
        ? (env.XDG_CONFIG_HOME as string)
        : join(nonEmpty(env.HOME) ?? homedir(), '.config'),
      'cocart-sessions',
    ),
  };
}

/**
 * Selects React's production build unless NODE_ENV says otherwise: the development build diffs and
 * logs props on every frame, which costs far more than drawing. Must run before React is imported.
 */
export function preferProductionReact(env: NodeJS.ProcessEnv = process.env): void {
  env.NODE_ENV ??= 'production';
}
