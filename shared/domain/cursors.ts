import { createHmac } from 'node:crypto';
import { ValidationError } from './errors';
import { digestsEqual } from './pepper-vault';

/**
 * Signed page cursors. A cursor says where the next page starts (the id of the last item read);
 * the client must not be able to move it, point it at another account or reuse it on another list,
 * so it is `<version>.<position>.<mac>`, where the MAC (HMAC-SHA-256) covers the account, the list
 * (with its filters) and the position, under a key derived from the pepper. The pepper exists in
 * every environment already and is KMS-protected; a purpose of its own (HKDF) keeps the cursor key
 * apart from the token digests and the sealed secrets.
 */
export interface CursorKeys {
  /** The pepper version new cursors are signed under. */
  readonly currentVersion: number;
  /** Whether this version is still held (older cursors verify under the version they name). */
  holds(version: number): boolean;
  /** A key derived from that pepper version for one purpose. */
  derivedKey(purpose: string, version: number): Promise<Uint8Array>;
}

/** Which list a cursor belongs to: the account, and the list with every filter that shapes it. */
export interface CursorScope {
  readonly accountId: string;
  /** `api-keys`, or `audit-events` with its filters; a cursor opens only on the very same list. */
  readonly list: string;
}

const PURPOSE = 'page-cursor';
const POSITION = /^[0-9a-z]{1,64}$/;

export class CursorSigner {
  constructor(private readonly keys: CursorKeys) {}

  async seal(position: string, scope: CursorScope): Promise<string> {
    const version = this.keys.currentVersion;
    const body = `${version}.${position}`;
    return `${body}.${await this.mac(body, version, scope)}`;
  }

  /** The position a cursor names, or 400 `invalid_cursor` saying what is wrong with it. */
  async open(cursor: string, scope: CursorScope): Promise<string> {
    const parts = cursor.split('.');
    const [versionText, position, mac] = parts;
    const version = Number(versionText);
    if (
      parts.length !== 3 ||
      versionText === undefined ||
      position === undefined ||
      mac === undefined ||
      !/^[1-9][0-9]{0,8}$/.test(versionText) ||
      !POSITION.test(position)
    ) {
      throw invalidCursor(
        'cursor is malformed: pass back a nextCursor exactly as it was returned',
        'malformed',
      );
    }
    if (!this.keys.holds(version)) {
      throw invalidCursor(
        'cursor was signed with a key this service no longer holds: start again from the first page',
        'unknown_key',
      );
    }
    if (!digestsEqual(await this.mac(`${version}.${position}`, version, scope), mac)) {
      throw invalidCursor(
        'cursor signature does not match: it was altered, or it belongs to another account, list or filter',
        'bad_signature',
      );
    }
    return position;
  }

  private async mac(body: string, version: number, scope: CursorScope): Promise<string> {
    const key = await this.keys.derivedKey(PURPOSE, version);
    // Length-prefixed fields, so no account id and list name can be shifted into each other.
    const message = [scope.accountId, scope.list, body].map((field) => `${field.length}:${field}`).join('|');
    return createHmac('sha256', key).update(message, 'utf8').digest('base64url');
  }
}

function invalidCursor(message: string, reason: 'malformed' | 'unknown_key' | 'bad_signature') {
  return new ValidationError(message, { field: 'cursor', reason }, 'invalid_cursor');
}
