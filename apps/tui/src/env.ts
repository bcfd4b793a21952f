/** Connection settings and display preferences read from the environment. */
export interface TuiEnv {
  url?: string;
  username?: string;
  password?: string;
  consumerKey?: string;
  consumerSecret?: string;
  /** https://no-color.org: any non-empty value turns colour off. */
  noColor: boolean;
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
  };
}

/**
 * Selects React's production build unless NODE_ENV says otherwise: the development build diffs and
 * logs props on every frame, which costs far more than drawing. Must run before React is imported.
 */
export function preferProductionReact(env: NodeJS.ProcessEnv = process.env): void {
  env.NODE_ENV ??= 'production';
}
