import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import * as z from 'zod/mini';
import './zod-messages';
import { UnauthorizedError, ValidationError } from './errors';

/**
 * Leaked-token reports in the format of GitHub's secret-scanning partner program: the reporter
 * POSTs a JSON array of `{token, type, url, source}` and signs the raw body with ECDSA P-256 /
 * SHA-256; the key that signed it is named by `Github-Public-Key-Identifier`, the base64 DER
 * signature travels in `Github-Public-Key-Signature`. Only reporters whose public keys the stack
 * trusts (`LATCHKEY_LEAK_REPORTER_KEYS`) are heard.
 */
export interface ReporterKey {
  readonly keyIdentifier: string;
  readonly publicKey: KeyObject;
  readonly isCurrent: boolean;
}

/** The largest report body read; GitHub batches a few tokens per call, far below this. */
export const MAX_REPORT_BYTES = 64 * 1024;
/** The most tokens one report may name; each costs a read and an HMAC. */
export const MAX_REPORTED_TOKENS = 100;

const reporterKeySchema = z.object({
  key_identifier: z.string().check(z.minLength(1), z.maxLength(200)),
  key: z.string().check(z.minLength(1)),
  is_current: z.optional(z.boolean()),
});

/**
 * Reads the trusted reporter keys: a JSON array `[{key_identifier, key, is_current}]` with PEM
 * public keys, or the `{public_keys: [...]}` document GitHub publishes, pasted as it is. Only P-256
 * keys are accepted, since the scheme is ECDSA P-256; anything else fails the cold start by name.
 */
export function parseReporterKeys(json: string, settingName: string): ReporterKey[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new Error(`${settingName} must be a JSON array of {key_identifier, key, is_current}`);
  }
  const list =
    typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) && 'public_keys' in parsed
      ? parsed.public_keys
      : parsed;
  const result = z.array(reporterKeySchema).safeParse(list);
  if (!result.success) {
    throw new Error(`${settingName} must be a JSON array of {key_identifier, key, is_current}`);
  }
  return result.data.map((entry, index) => {
    let publicKey: KeyObject;
    try {
      publicKey = createPublicKey(entry.key);
    } catch {
      throw new Error(`${settingName}[${index}] (${entry.key_identifier}) is not a PEM public key`);
    }
    if (publicKey.asymmetricKeyType !== 'ec' || publicKey.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
      throw new Error(`${settingName}[${index}] (${entry.key_identifier}) is not an ECDSA P-256 key`);
    }
    return { keyIdentifier: entry.key_identifier, publicKey, isCurrent: entry.is_current ?? true };
  });
}

/**
 * True only when `signature` (base64 DER) is a valid ECDSA P-256 / SHA-256 signature of exactly
 * these body bytes by the named trusted key. Retired keys (`is_current: false`) still verify: a
 * reporter rotating its key keeps signing with the old one for a while.
 */
export function isSignedByReporter(
  keys: readonly ReporterKey[],
  rawBody: Uint8Array,
  keyIdentifier: string | undefined,
  signature: string | undefined,
): boolean {
  if (keyIdentifier === undefined || signature === undefined) return false;
  const key = keys.find((candidate) => candidate.keyIdentifier === keyIdentifier);
  if (key === undefined) return false;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(signature.trim())) return false;
  try {
    return verify(
      'sha256',
      rawBody,
      { key: key.publicKey, dsaEncoding: 'der' },
      Buffer.from(signature, 'base64'),
    );
  } catch {
    // A malformed DER signature is a bad signature, not a server error.
    return false;
  }
}

/** Refuses a report that is not signed by a trusted reporter, before its body is even parsed. */
export function requireReporterSignature(
  keys: readonly ReporterKey[],
  rawBody: Uint8Array,
  keyIdentifier: string | undefined,
  signature: string | undefined,
): void {
  if (!isSignedByReporter(keys, rawBody, keyIdentifier, signature)) {
    throw new UnauthorizedError(
      'The report must be signed: Github-Public-Key-Identifier names a trusted reporter key and ' +
        'Github-Public-Key-Signature holds its ECDSA P-256 / SHA-256 signature of the raw body',
    );
  }
}

const reportedTokenSchema = z.object({
  token: z.string().check(z.maxLength(1000)),
  type: z.string().check(z.maxLength(200)),
  url: z._default(z.optional(z.string().check(z.maxLength(2000))), ''),
  source: z._default(z.optional(z.string().check(z.maxLength(200))), ''),
});

export type ReportedToken = z.output<typeof reportedTokenSchema>;

/** The report body as the description shows it; `parseLeakReport` applies it with errors that never echo a value. */
export const leakReportSchema = z.array(reportedTokenSchema).check(z.maxLength(MAX_REPORTED_TOKENS));

/**
 * Parses a signed report body. Errors name the field, never echo a value: the values are tokens.
 */
export function parseLeakReport(rawBody: string): ReportedToken[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(rawBody);
  } catch {
    throw new ValidationError('The report is not valid JSON', undefined, 'invalid_json');
  }
  if (!Array.isArray(parsed)) {
    throw new ValidationError('The report must be a JSON array of {token, type, url, source}');
  }
  if (parsed.length > MAX_REPORTED_TOKENS) {
    throw new ValidationError(
      `A report may name at most ${MAX_REPORTED_TOKENS} tokens; split it`,
      { maxTokens: MAX_REPORTED_TOKENS },
      'too_many_tokens',
    );
  }
  return parsed.map((entry: unknown, index) => {
    const result = reportedTokenSchema.safeParse(entry);
    if (!result.success) {
      const field = result.error.issues[0]?.path.map(String).join('.') ?? '';
      throw new ValidationError(`body.${index}${field === '' ? '' : `.${field}`} is not valid`, {
        index,
        field,
      });
    }
    return result.data;
  });
}
