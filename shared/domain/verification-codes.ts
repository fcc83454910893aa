import { randomInt } from 'node:crypto';
import { AppError } from './errors';
import type { TokenDigest } from './pepper';

/** The pepper, as far as codes need it. `PepperVault` satisfies it. */
export interface SecretHasher {
  hashToken(secret: string): Promise<TokenDigest>;
  verifyToken(secret: string, stored: TokenDigest): Promise<boolean>;
}

export interface VerificationProof {
  readonly verificationId: string;
  readonly code: string;
}

export interface OpenedChallenge {
  readonly verificationId: string;
  /** The plain code: handed to the mailer and dropped. Never stored, logged or returned. */
  readonly code: string;
  readonly expiresAt: Date;
}

/** The code could not be sent; the challenge was withdrawn, so nothing is left half-done. */
export class CodeDeliveryError extends AppError {
  readonly statusCode = 503;
  readonly code = 'code_not_sent';
}

export const CODE_PATTERN = /^[0-9]{6}$/;

export function newVerificationCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

/** The id is part of the MAC input, so equal codes of two challenges hash differently. */
export function codeMacInput(verificationId: string, code: string): string {
  return `latchkey-verification:${verificationId}:${code}`;
}
