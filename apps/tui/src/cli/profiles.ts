import {
  closeSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { CliError, EXIT } from '../errors.js';

/** A saved connection: the store URL and one way to log in, with its secret. */
const ProfileSchema = z
  .object({
    url: z.url({ protocol: /^https?$/ }),
    user: z.string().min(1).optional(),
    password: z.string().optional(),
    consumer_key: z.string().min(1).optional(),
    consumer_secret: z.string().optional(),
    /** Saved by `profiles add --allow-insecure-http`: the login may go over plain http:// to `url`. */
    allow_insecure_http: z.boolean().optional(),
  })
  .refine((p) => (p.user === undefined) !== (p.consumer_key === undefined), {
    message: 'a profile has either a user or a consumer_key',
  });
export type Profile = z.infer<typeof ProfileSchema>;

const ProfilesFileSchema = z.object({
  default: z.string().optional(),
  profiles: z.record(z.string(), ProfileSchema),
});
export type ProfilesFile = z.infer<typeof ProfilesFileSchema>;

/** Profile names: letters, digits, dot, dash and underscore (they are typed and shown in tables). */
export const PROFILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** The file holding every profile, secrets included: created with mode 0600 in a 0700 directory. */
export const profilesPath = (configDir: string): string => join(configDir, 'profiles.json');

/** Why `path` is unsafe to keep secrets in (group or others may read it), or null when it is private. */
export function exposure(path: string): string | null {
  let mode: number;
  try {
    mode = statSync(path).mode & 0o777;
  } catch {
    return null;
  }
  if ((mode & 0o077) === 0) return null;
  return `${path} holds passwords but other users can read it (mode ${mode.toString(8).padStart(4, '0')}): run chmod 600 ${path}`;
}

/** Reads the profiles file; an absent file is an empty one. A malformed file is a usage error. */
export function readProfiles(path: string): ProfilesFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { profiles: {} };
    throw new CliError(`Cannot read ${path}: ${(e as Error).message}`, EXIT.usage);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new CliError(`${path} is not valid JSON (${(e as Error).message}): fix or remove it.`, EXIT.usage);
  }
  const parsed = ProfilesFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
    throw new CliError(`${path} is not a valid profiles file${where}: ${issue?.message}.`, EXIT.usage);
  }
  const file = parsed.data;
  if (file.default !== undefined && !(file.default in file.profiles)) {
    throw new CliError(`${path}: the default profile "${file.default}" does not exist.`, EXIT.usage);
  }
  return file;
}

/**
 * Writes the profiles file with mode 0600 through a temporary file, so a crash never leaves half of it.
 * The temporary file has a random name and is created exclusively: a file or symlink planted under a
 * name known in advance would otherwise receive the secrets.
 */
export function writeProfiles(path: string, configDir: string, file: ProfilesFile): void {
  mkdirSync(configDir, { recursive: true, mode: 0o700 });
  // Web Crypto's global: node:crypto loads only here, not at every launch that reads the profiles.
  const temp = `${path}.${Buffer.from(crypto.getRandomValues(new Uint8Array(8))).toString('hex')}.tmp`;
  const fd = openSync(temp, 'wx', 0o600);
  try {
    try {
      writeFileSync(fd, `${JSON.stringify(file, null, 2)}\n`);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (e) {
    rmSync(temp, { force: true });
    throw e;
  }
}

/**
 * The profile to connect with: `name` (from --profile or COCART_PROFILE) or the default. An unknown
 * name, or secrets in a file others can read, is a usage error; no profile at all is undefined.
 */
export function selectProfile(
  configDir: string,
  name: string | undefined,
): { name: string; profile: Profile } | undefined {
  const path = profilesPath(configDir);
  const file = readProfiles(path);
  const chosen = name ?? file.default;
  if (chosen === undefined) return undefined;
  const profile = file.profiles[chosen];
  if (profile === undefined) {
    const known = Object.keys(file.profiles);
    throw new CliError(
      `Unknown profile "${chosen}" (${known.length > 0 ? `saved: ${known.join(', ')}` : 'none saved yet: see profiles add'}).`,
      EXIT.usage,
    );
  }
  const exposed = exposure(path);
  if (exposed !== null) throw new CliError(exposed, EXIT.usage);
  return { name: chosen, profile };
}
