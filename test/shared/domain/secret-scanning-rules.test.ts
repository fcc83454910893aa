import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { newKeyId } from '../../../shared/domain/ids';
import { generateToken } from '../../../shared/domain/token';

/** The rules published in docs/secret-scanning.md must find real tokens, or teams scan for nothing. */
const doc = readFileSync(join(import.meta.dirname, '../../../docs/secret-scanning.md'), 'utf8');

function published(): { name: string; pattern: RegExp }[] {
  const plain = /```regex\n(.+)\n```/.exec(doc)?.[1];
  const gitleaks = /regex = '''(.+)'''/.exec(doc)?.[1];
  const trufflehog = /token: '(.+)'/.exec(doc)?.[1];
  if (plain === undefined || gitleaks === undefined || trufflehog === undefined) {
    throw new Error('docs/secret-scanning.md lost one of its three published patterns');
  }
  return [
    { name: 'regex', pattern: new RegExp(plain, 'g') },
    { name: 'gitleaks', pattern: new RegExp(gitleaks, 'g') },
    { name: 'trufflehog', pattern: new RegExp(trufflehog, 'g') },
  ];
}

describe('published secret-scanning rules', () => {
  const tokens = Array.from({ length: 200 }, () => generateToken(newKeyId()));

  it.each(published())('$name finds every token inside ordinary text', ({ pattern }) => {
    for (const token of tokens) {
      const text = `const key = "${token}";\nAUTH=${token}\n`;
      expect([...text.matchAll(pattern)].map((m) => m[1] ?? m[0])).toEqual([token, token]);
    }
  });

  it.each(published())('$name ignores near misses', ({ pattern }) => {
    const token = tokens[0] ?? '';
    for (const miss of [token.slice(0, -1), `${token}x`, token.replace('lk_', 'lx_'), token.toUpperCase()]) {
      expect(miss.match(pattern), miss.slice(0, 12)).toBeNull();
    }
  });
});
