import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  isSignedByReporter,
  MAX_REPORTED_TOKENS,
  parseLeakReport,
  parseReporterKeys,
} from '../../../shared/domain/leak-reports';

function reporterKeyPair() {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { pem: publicKey.export({ type: 'spki', format: 'pem' }).toString(), privateKey };
}

describe('leak report signatures', () => {
  const current = reporterKeyPair();
  const retired = reporterKeyPair();
  const stranger = reporterKeyPair();
  const keys = parseReporterKeys(
    JSON.stringify([
      { key_identifier: 'current-id', key: current.pem, is_current: true },
      { key_identifier: 'retired-id', key: retired.pem, is_current: false },
    ]),
    'LATCHKEY_LEAK_REPORTER_KEYS',
  );
  const body = Buffer.from('[{"token":"x","type":"latchkey_api_token","url":"u","source":"content"}]');
  const signed = (key: typeof current, bytes: Uint8Array = body) =>
    sign('sha256', bytes, { key: key.privateKey, dsaEncoding: 'der' }).toString('base64');

  it('accepts a body signed by a trusted key, current or retired', () => {
    expect(isSignedByReporter(keys, body, 'current-id', signed(current))).toBe(true);
    expect(isSignedByReporter(keys, body, 'retired-id', signed(retired))).toBe(true);
  });

  it('refuses missing, unknown, mismatched and malformed signatures', () => {
    expect(isSignedByReporter(keys, body, undefined, signed(current))).toBe(false);
    expect(isSignedByReporter(keys, body, 'current-id', undefined)).toBe(false);
    expect(isSignedByReporter(keys, body, 'unknown-id', signed(current))).toBe(false);
    expect(isSignedByReporter(keys, body, 'current-id', signed(stranger))).toBe(false);
    expect(isSignedByReporter(keys, body, 'retired-id', signed(current))).toBe(false);
    expect(isSignedByReporter(keys, body, 'current-id', 'not base64 !')).toBe(false);
    expect(isSignedByReporter(keys, body, 'current-id', Buffer.from('junk').toString('base64'))).toBe(false);
  });

  it('refuses a body changed by one byte after signing', () => {
    const signature = signed(current);
    const changed = Buffer.from(body);
    changed[2] = changed[2] === 0x74 ? 0x75 : 0x74;
    expect(isSignedByReporter(keys, changed, 'current-id', signature)).toBe(false);
  });

  it("reads GitHub's published document as well as the bare array", () => {
    const parsed = parseReporterKeys(
      JSON.stringify({ public_keys: [{ key_identifier: 'a', key: current.pem, is_current: true }] }),
      'S',
    );
    expect(parsed.map((k) => k.keyIdentifier)).toEqual(['a']);
  });

  it('fails loudly, by setting name, on keys that are not P-256 PEM', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .publicKey.export({ type: 'spki', format: 'pem' })
      .toString();
    expect(() => parseReporterKeys('nope', 'S')).toThrow(/^S must be/);
    expect(() => parseReporterKeys(JSON.stringify([{ key_identifier: 'a', key: 'x' }]), 'S')).toThrow(
      /S\[0\] \(a\) is not a PEM public key/,
    );
    expect(() => parseReporterKeys(JSON.stringify([{ key_identifier: 'r', key: rsa }]), 'S')).toThrow(
      /not an ECDSA P-256 key/,
    );
  });
});

describe('leak report bodies', () => {
  it('parses the partner format and defaults url and source', () => {
    expect(parseLeakReport('[{"token":"t","type":"ty"}]')).toEqual([
      { token: 't', type: 'ty', url: '', source: '' },
    ]);
  });

  it('caps the number of tokens and never echoes a value in its errors', () => {
    const many = JSON.stringify(
      Array.from({ length: MAX_REPORTED_TOKENS + 1 }, () => ({ token: 't', type: 'x' })),
    );
    expect(() => parseLeakReport(many)).toThrow(/at most 100 tokens/);
    const secretish = 'lk_secret_value_that_must_not_be_echoed';
    try {
      parseLeakReport(JSON.stringify([{ token: secretish, type: 5 }]));
      expect.unreachable('a bad entry must be refused');
    } catch (error) {
      expect(String(error)).toContain('body.0.type');
      expect(JSON.stringify(error)).not.toContain(secretish);
      expect(String(error)).not.toContain(secretish);
    }
    expect(() => parseLeakReport('{}')).toThrow(/JSON array/);
    expect(() => parseLeakReport('[')).toThrow(/not valid JSON/);
  });
});
