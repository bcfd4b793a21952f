import { describe, expect, it } from 'vitest';
import { readEnv } from './env.js';

describe('readEnv', () => {
  it('keeps profiles under $XDG_CONFIG_HOME, else ~/.config, ignoring a relative XDG_CONFIG_HOME', () => {
    expect(readEnv({ XDG_CONFIG_HOME: '/cfg', HOME: '/home/ann' }).configDir).toBe('/cfg/cocart-sessions');
    expect(readEnv({ HOME: '/home/ann' }).configDir).toBe('/home/ann/.config/cocart-sessions');
    expect(readEnv({ XDG_CONFIG_HOME: 'rel', HOME: '/home/ann' }).configDir).toBe(
      '/home/ann/.config/cocart-sessions',
    );
  });
  it('reads COCART_PROFILE', () => {
    expect(readEnv({ COCART_PROFILE: 'shop' }).profile).toBe('shop');
    expect(readEnv({ COCART_PROFILE: '' }).profile).toBeUndefined();
  });
});
