import type { Actor } from './actors';
import { type ApiKeyRecord, type Page, type PublicApiKey, toPublicApiKey } from './api-keys';
import type { CursorSigner } from './cursors';
import { NotFoundError } from './errors';
import { KEY_ID_PATTERN } from './ids';
import type { KeyStore } from './ports';

export const KEY_NOT_FOUND = 'API key not found';

/** Newest first, one page; the cursor is signed and opens only on this account's key list. */
export async function listApiKeys(
  keys: KeyStore,
  cursors: CursorSigner,
  actor: Actor,
  options: { limit: number; cursor?: string | undefined },
  now: Date = new Date(),
): Promise<Page<PublicApiKey>> {
  const scope = { accountId: actor.accountId, list: 'api-keys' };
  const after = options.cursor === undefined ? undefined : await cursors.open(options.cursor, scope);
  const page = await keys.listByAccount(actor.accountId, { limit: options.limit, after });
  return {
    items: page.items.map((record) => toPublicApiKey(record, now)),
    nextCursor: page.resumeAfter === undefined ? undefined : await cursors.seal(page.resumeAfter, scope),
  };
}

/** Another account's key is reported exactly like a missing one, so its existence never leaks. */
export async function loadOwnKey(keys: KeyStore, actor: Actor, keyId: string): Promise<ApiKeyRecord> {
  if (!KEY_ID_PATTERN.test(keyId)) throw new NotFoundError(KEY_NOT_FOUND);
  const record = await keys.get(keyId);
  if (record === undefined || record.accountId !== actor.accountId) throw new NotFoundError(KEY_NOT_FOUND);
  return record;
}
