import { CliError, EXIT } from '../errors.js';
import { plainTable } from '../format/text.js';
import { shownUrl } from '../format/url.js';
import type { CliArgs, ProfilesCommand } from './args.js';
import { type CliIo, readAll } from './io.js';
import { promptPassword } from './password-prompt.js';
import {
  exposure,
  PROFILE_NAME,
  type Profile,
  profilesPath,
  readProfiles,
  writeProfiles,
} from './profiles.js';
import { checkStoreUrl } from './store-url.js';

/** The secret of a new profile: a flag, stdin (--password-stdin), or asked on the terminal without echo. */
async function secretFor(
  what: string,
  owner: string,
  given: string | undefined,
  cmd: Extract<ProfilesCommand, { action: 'add' }>,
  io: CliIo,
): Promise<string> {
  let secret = given;
  if (secret === undefined && cmd.passwordStdin) {
    // One line: what `echo "$PW" | cocart-sessions profiles add ... --password-stdin` sends.
    secret = (await readAll(io.stdin)).replace(/\r?\n$/, '');
  } else if (secret === undefined) {
    if (!io.stdin.isTTY) {
      throw new CliError(
        `No terminal to ask the ${what} on: pass --password-stdin and pipe it in.`,
        EXIT.usage,
      );
    }
    secret = await promptPassword(
      `${what[0]?.toUpperCase()}${what.slice(1)} for ${owner}: `,
      io.stdin,
      io.stderr,
    );
    if (secret === undefined) throw new CliError('Cancelled.', EXIT.usage);
  }
  if (secret === '') throw new CliError(`The ${what} is empty.`, EXIT.usage);
  return secret;
}

function checkName(name: string): void {
  if (!PROFILE_NAME.test(name)) {
    throw new CliError(
      `"${name}" is not a profile name (letters, digits, ".", "-" and "_", at most 64).`,
      EXIT.usage,
    );
  }
}

/** How `profiles list` shows the login of a profile: never a secret. */
const loginOf = (p: Profile): string => (p.user !== undefined ? `user ${p.user}` : `key ${p.consumer_key}`);

/** Runs `profiles add|list|remove|default`; returns stdout's text. */
export async function runProfiles(
  cmd: ProfilesCommand,
  args: CliArgs,
  io: CliIo,
  configDir: string,
): Promise<string> {
  const path = profilesPath(configDir);
  const file = readProfiles(path);
  switch (cmd.action) {
    case 'list': {
      const exposed = exposure(path);
      if (exposed !== null) io.stderr.write(`cocart-sessions: warning: ${exposed}\n`);
      const names = Object.keys(file.profiles).sort();
      if (args.json) {
        return `${JSON.stringify(
          names.map((name) => {
            const { password: _p, consumer_secret: _s, url, ...shown } = file.profiles[name] as Profile;
            return { name, url: shownUrl(url), ...shown, default: file.default === name };
          }),
          null,
          2,
        )}\n`;
      }
      if (names.length === 0) {
        return 'No profiles saved. Add one: cocart-sessions profiles add <name> --url <url> --user <login>\n';
      }
      const rows = names.map((name) => {
        const p = file.profiles[name] as Profile;
        return [file.default === name ? '*' : '', name, shownUrl(p.url), loginOf(p)];
      });
      return `${plainTable(['', 'NAME', 'URL', 'LOGIN'], rows)}\n`;
    }
    case 'add': {
      checkName(cmd.profile);
      const url = args.url;
      if (url === undefined) throw new CliError('profiles add needs --url.', EXIT.usage);
      // Every profile has a login: the plain-HTTP check applies to all of them.
      checkStoreUrl(url, { login: true, allowInsecureHttp: args.allowInsecureHttp });
      if ((args.user === undefined) === (args.consumerKey === undefined)) {
        throw new CliError('profiles add needs one of --user <login> or --consumer-key <ck>.', EXIT.usage);
      }
      const optIn = args.allowInsecureHttp ? { allow_insecure_http: true } : {};
      const profile: Profile =
        args.user !== undefined
          ? {
              url,
              user: args.user,
              password: await secretFor('password', args.user, args.password, cmd, io),
              ...optIn,
            }
          : {
              url,
              consumer_key: args.consumerKey,
              consumer_secret: await secretFor(
                'consumer secret',
                args.consumerKey ?? '',
                args.consumerSecret,
                cmd,
                io,
              ),
              ...optIn,
            };
      const replaced = cmd.profile in file.profiles;
      file.profiles[cmd.profile] = profile;
      if (cmd.makeDefault) file.default = cmd.profile;
      writeProfiles(path, configDir, file);
      const isDefault = file.default === cmd.profile ? ' (the default)' : '';
      return `${replaced ? 'Updated' : 'Saved'} profile ${cmd.profile}${isDefault}: ${shownUrl(url)}, ${loginOf(profile)}. Stored in ${path} (mode 600).\n`;
    }
    case 'remove':
    case 'default': {
      if (!(cmd.profile in file.profiles)) {
        const known = Object.keys(file.profiles);
        throw new CliError(
          `Unknown profile "${cmd.profile}" (${known.length > 0 ? `saved: ${known.sort().join(', ')}` : 'none saved'}).`,
          EXIT.usage,
        );
      }
      if (cmd.action === 'default') {
        file.default = cmd.profile;
        writeProfiles(path, configDir, file);
        return `Profile ${cmd.profile} is now the default.\n`;
      }
      delete file.profiles[cmd.profile];
      const wasDefault = file.default === cmd.profile;
      if (wasDefault) delete file.default;
      writeProfiles(path, configDir, file);
      return `Removed profile ${cmd.profile}${wasDefault ? ' (it was the default: there is none now)' : ''}.\n`;
    }
  }
}
