import { type ClientAuth, createClient, type SessionsResource } from '@cocart-sessions/client';
import { CliError, EXIT } from '../errors.js';
import { shownUrl } from '../format/url.js';
import type { PlainClientOptions } from '../list-feed/protocol.js';
import type { CliArgs } from './args.js';
import type { TuiEnv } from './env.js';
import type { CliIo } from './io.js';
import { nodeFetch } from './node-fetch.js';
import { promptPassword } from './password-prompt.js';
import { type Profile, selectProfile } from './profiles.js';
import { checkStoreUrl } from './store-url.js';
import { usageError } from './usage.js';

/** Where to connect and as whom: flags, then the environment, then the profile, field by field. */
export interface Connection {
  url: string | undefined;
  user?: string;
  password?: string;
  consumerKey?: string;
  consumerSecret?: string;
}

/**
 * Flags win over the environment, which wins over the profile. A login given by flag or environment
 * (a user or an API key) replaces the profile's login and its secret as a whole.
 */
export function connectionOf(args: CliArgs, env: TuiEnv, profile: Profile | undefined): Connection {
  const user = args.user ?? env.username;
  const consumerKey = args.consumerKey ?? env.consumerKey;
  const consumerSecret = args.consumerSecret ?? env.consumerSecret;
  const password = args.password ?? env.password;
  const url = args.url ?? env.url ?? profile?.url;
  if (user !== undefined || consumerKey !== undefined || consumerSecret !== undefined || !profile) {
    return { url, user, password, consumerKey, consumerSecret };
  }
  return {
    url,
    user: profile.user,
    password: profile.user !== undefined ? (password ?? profile.password) : undefined,
    consumerKey: profile.consumer_key,
    consumerSecret: profile.consumer_key !== undefined ? profile.consumer_secret : undefined,
  };
}

async function resolveAuth(conn: Connection, io: CliIo): Promise<ClientAuth | undefined> {
  const { consumerKey, consumerSecret, user } = conn;
  if (consumerKey !== undefined || consumerSecret !== undefined) {
    if (consumerKey === undefined || consumerSecret === undefined) {
      throw new CliError('An API key needs both --consumer-key and --consumer-secret.', EXIT.usage);
    }
    return { consumerKey, consumerSecret };
  }
  if (user === undefined) return undefined;
  let password = conn.password;
  if (password === undefined) {
    if (!io.stdin.isTTY) {
      throw new CliError(
        `No password for ${user}: set COCART_PASSWORD or pass --password (no terminal to ask on).`,
        EXIT.usage,
      );
    }
    password = await promptPassword(`Password for ${user}: `, io.stdin, io.stderr);
    if (password === undefined) throw new CliError('Cancelled.', EXIT.usage);
  }
  return { username: user, password };
}

/** A store the CLI is ready to call. */
export interface Connected {
  /** The store URL as the user gave it, redacted (`shownUrl`): what the screen and messages show. */
  url: string;
  /** What the client was created with: plain data, which the list worker creates its own client from. */
  options: PlainClientOptions;
  sessions: SessionsResource;
}

/**
 * The store and login of this run, from flags, environment and profile; asks for a missing password
 * on the terminal. Throws a usage error when there is no URL, or no usable login. `plain`: for a
 * command of the command line, whose client reads over node:http ({@link nodeFetch}).
 */
export async function connect(args: CliArgs, env: TuiEnv, io: CliIo, plain = false): Promise<Connected> {
  // The profiles file is read only when it can matter: a profile is named, or no URL is given.
  const profileName = args.profile ?? env.profile;
  const profile =
    profileName !== undefined || (args.url ?? env.url) === undefined
      ? selectProfile(env.configDir, profileName)?.profile
      : undefined;
  const conn = connectionOf(args, env, profile);
  const url = conn.url;
  if (url === undefined) {
    throw usageError('No store URL: pass --url, set COCART_URL, or save a profile (profiles add).');
  }
  // A profile's opt-in covers the URL it was saved with, not another one given by flag or environment.
  const allowInsecureHttp =
    args.allowInsecureHttp || (profile?.allow_insecure_http === true && url === profile.url);
  const login =
    conn.user !== undefined || conn.consumerKey !== undefined || conn.consumerSecret !== undefined;
  // Checked before the password is asked for: a refusal after typing it would waste it.
  checkStoreUrl(url, { login, allowInsecureHttp });
  const auth = await resolveAuth(conn, io);
  // A full list of 100k sessions takes a few seconds to stream; the default 10 s is too tight.
  const options: PlainClientOptions = {
    url,
    auth,
    timeout: 60_000,
    ...(allowInsecureHttp ? { allowInsecureHttp } : {}),
  };
  // `options` stays plain data (the interactive browser hands it to its worker).
  const client = createClient(plain ? { ...options, fetch: nodeFetch } : options);
  return { url: shownUrl(url), options, sessions: client.sessions };
}
