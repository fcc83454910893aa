import { describe, expect, it } from 'vitest';
import { newKeyId } from '../../../shared/domain/ids';
import { generateToken, parseToken, TOKEN_LENGTH } from '../../../shared/domain/token';

describe('token format', () => {
  it('round-trips: a generated token parses back to its key id', () => {
    const keyId = newKeyId();
    const token = generateToken(keyId);
    expect(token).toHaveLength(TOKEN_LENGTH);
    expect(token.startsWith(`lk_${keyId}_`)).toBe(true);
    expect(parseToken(token)).toEqual({ keyId, token });
  });

  it('refuses a token with one character changed anywhere', () => {
    const token = generateToken(newKeyId());
    for (let i = 3; i < token.length; i++) {
      if (token[i] === '_') continue;
      const swapped = token.slice(0, i) + (token[i] === 'a' ? 'b' : 'a') + token.slice(i + 1);
      expect(parseToken(swapped), `position ${i}`).toBeUndefined();
    }
  });

  it('refuses truncated, extended and non-string input', () => {
    const token = generateToken(newKeyId());
    expect(parseToken(token.slice(0, -1))).toBeUndefined();
    expect(parseToken(`${token}a`)).toBeUndefined();
    expect(parseToken(undefined)).toBeUndefined();
    expect(parseToken(42)).toBeUndefined();
    expect(parseToken(`Bearer ${token}`)).toBeUndefined();
  });

  it('draws a fresh secret each time', () => {
    const keyId = newKeyId();
    expect(generateToken(keyId)).not.toBe(generateToken(keyId));
  });

  it('orders key ids by creation time', () => {
    const early = newKeyId(new Date('2026-01-01T00:00:00Z'));
    const late = newKeyId(new Date('2026-01-01T00:00:01Z'));
    expect(early < late).toBe(true);
  });
});
