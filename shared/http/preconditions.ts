import * as z from 'zod/mini';
import '../domain/zod-messages';
import { ValidationError } from '../domain/errors';
import { VERIFICATION_ID_PATTERN } from '../domain/ids';
import { CODE_PATTERN, type VerificationProof } from '../domain/verification-codes';
import type { HttpEvent } from './event';
import { header, validate } from './request';

export const VERIFICATION_ID_HEADER = 'X-Verification-Id';
export const VERIFICATION_CODE_HEADER = 'X-Verification-Code';

/** The two headers every sensitive action carries; the description documents them from this schema. */
export const proofSchema = z.object({
  [VERIFICATION_ID_HEADER]: z
    .string({ error: `send the ${VERIFICATION_ID_HEADER} header from POST /v1/verifications` })
    .check(z.trim(), z.regex(VERIFICATION_ID_PATTERN, `${VERIFICATION_ID_HEADER} is not a verification id`)),
  [VERIFICATION_CODE_HEADER]: z
    .string({ error: `send the ${VERIFICATION_CODE_HEADER} header with the 6-digit code from the email` })
    .check(
      z.trim(),
      z.regex(CODE_PATTERN, `${VERIFICATION_CODE_HEADER} must be the 6-digit code from the email`),
    ),
});

/** The verification headers of a sensitive action; missing or malformed ones are a 400 naming them. */
export function verificationProof(event: HttpEvent): VerificationProof {
  const parsed = validate(
    proofSchema,
    {
      [VERIFICATION_ID_HEADER]: header(event, VERIFICATION_ID_HEADER),
      [VERIFICATION_CODE_HEADER]: header(event, VERIFICATION_CODE_HEADER),
    },
    'headers',
  );
  return { verificationId: parsed[VERIFICATION_ID_HEADER], code: parsed[VERIFICATION_CODE_HEADER] };
}

/** `If-Match: "<version>"` (weak or strong), or `*`. */
export const IF_MATCH = /^\s*(?:W\/)?"(\d{1,15})"\s*$/;

/** Optional `If-Match: "<version>"`; `*` or no header means any version. */
export function ifMatchVersion(event: HttpEvent): number | undefined {
  const value = header(event, 'if-match');
  if (value === undefined || value.trim() === '*') return undefined;
  const match = IF_MATCH.exec(value);
  if (match?.[1] === undefined) {
    throw new ValidationError('If-Match must be a quoted version such as "3"', { header: 'If-Match' });
  }
  return Number(match[1]);
}

export function etag(version: number): Record<string, string> {
  return { ETag: `"${version}"` };
}
