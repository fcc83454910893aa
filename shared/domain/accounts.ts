export interface Site {
  readonly siteId: string;
  readonly name: string;
}

export interface Account {
  readonly accountId: string;
  /** The address verification codes are sent to. */
  readonly email: string;
  readonly sites: readonly Site[];
  readonly createdAt: string;
}

export type MemberRole = 'owner' | 'admin';

/** A signed-in user (the JWT subject) acts for exactly one account. */
export interface Membership {
  readonly userId: string;
  readonly accountId: string;
  readonly role: MemberRole;
  readonly createdAt: string;
}

/** `jane@example.com` -> `j***@example.com`: enough to recognise, not enough to harvest. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return '***';
  return `${email.charAt(0)}***${email.slice(at)}`;
}

export const SITE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
