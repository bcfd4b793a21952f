import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type ProfilesFile, profilesPath, readProfiles, writeProfiles } from './profiles.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const FILE: ProfilesFile = {
  default: 'shop',
  profiles: { shop: { url: 'https://shop.example', user: 'admin', password: 'pl4nted-trap-secret' } },
};

describe('writeProfiles', () => {
  it('never writes the secrets through a file or symlink planted at a name known in advance', () => {
    const root = mkdtempSync(join(tmpdir(), 'cocart-profiles-write-'));
    dirs.push(root);
    const configDir = join(root, 'cocart-sessions');
    mkdirSync(configDir, { mode: 0o700 });
    const path = profilesPath(configDir);
    // The names a writer with a fixed temporary name would use: the pid-based one, and plain ones.
    const trap = join(root, 'trap');
    writeFileSync(trap, '');
    for (const name of [`${path}.${process.pid}.tmp`, `${path}.tmp`, `${path}~`]) symlinkSync(trap, name);

    writeProfiles(path, configDir, FILE);
    writeProfiles(path, configDir, FILE);

    expect(readFileSync(trap, 'utf8')).toBe('');
    expect(lstatSync(path).isFile()).toBe(true);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readProfiles(path)).toEqual(FILE);
    // No temporary file is left behind.
    expect(readdirSync(configDir).filter((f) => !lstatSync(join(configDir, f)).isSymbolicLink())).toEqual([
      'profiles.json',
    ]);
  });
});
