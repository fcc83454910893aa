import type { Actor } from './actors';
import { type ApiKeyRecord, type Page, type PublicApiKey, toPublicApiKey } from './api-keys';
import { NotFoundError } from './errors';
import { KEY_ID_PATTERN } from './ids';
import type { KeyStore } from './ports';

export const KEY_NOT_FOUND = 'API key not found';

/** Newest first. Reading needs no pepper, so list and get take only the key store. */
export async function listApiKeys(
  keys: KeyStore,
  actor: Actor,
  options: { limit: number; cursor?: string | undefined },
  now: Date = new Date(),
): Promise<Page<PublicApiKey>> {
  const page = await keys.listByAccount(actor.accountId, options);
  return { items: page.items.map((record) => toPublicApiKey(record, now)), nextCursor: page.nextCursor };
}

/** Another account's key is reported exactly like a missing one, so its existence never leaks. */
export async function loadOwnKey(keys: KeyStore, actor: Actor, keyId: string): Promise<ApiKeyRecord> {
  if (!KEY_ID_PATTERN.test(keyId)) throw new NotFoundError(KEY_NOT_FOUND);
  const record = await keys.get(keyId);
  if (record === undefined || record.accountId !== actor.accountId) throw new NotFoundError(KEY_NOT_FOUND);
  return record;
}
