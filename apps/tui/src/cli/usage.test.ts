import { describe, expect, it } from 'vitest';
import { SESSION_FIELDS } from '../format/fields.js';
import { USAGE } from './usage.js';

describe('USAGE', () => {
  it('names every field that --fields takes', () => {
    const listed = /--fields <a,b,...>([\s\S]*?)\n {2}get /.exec(USAGE)?.[1] ?? '';
    const named = listed.match(/\b[a-z_]+\b/g) ?? [];
    for (const field of SESSION_FIELDS) expect(named).toContain(field);
  });
});
