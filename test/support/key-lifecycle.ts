import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { expect } from 'vitest';
import { handler as createApiKey } from '../../functions/api-keys/create-api-key';
import { handler as startVerification } from '../../functions/verifications/start-verification';
import { dynamoDocumentClient } from '../../shared/adapters/aws-clients';
import type { PublicApiKey } from '../../shared/domain/api-keys';
import { tableName } from '../../shared/wiring/stores';
import type { SeededAccount } from './accounts';
import { invoke, managementEvent } from './events';
import { latestCodeFor } from './inbox';
import { rememberSecret } from './log-capture';

/** Helpers that walk the key lifecycle the way a client does: ask for a code, read the mail, act. */
export interface Proof {
  readonly verificationId: string;
  readonly code: string;
}

export function proofHeaders(proof: Proof): Record<string, string> {
  return { 'x-verification-id': proof.verificationId, 'x-verification-code': proof.code };
}

export function startVerificationEvent(userId: string | undefined, body: unknown) {
  return managementEvent({
    method: 'POST',
    path: '/v1/verifications',
    routeKey: 'POST /v1/verifications',
    userId,
    body,
  });
}

/** `POST /v1/verifications`, then the code from the newest mail to the account's address. */
export async function requestCode(owner: SeededAccount, body: unknown): Promise<Proof> {
  const response = await invoke(startVerification, startVerificationEvent(owner.ownerId, body));
  expect(response.statusCode, JSON.stringify(response.json)).toBe(201);
  const { verificationId } = response.json as { verificationId: string };
  return { verificationId, code: await latestCodeFor(owner.account.email) };
}

export interface CreatedKey {
  readonly apiKey: PublicApiKey;
  readonly token: string;
}

export function createKeyEvent(userId: string | undefined, body: unknown, proof: Proof) {
  return managementEvent({
    method: 'POST',
    path: '/v1/api-keys',
    routeKey: 'POST /v1/api-keys',
    userId,
    body,
    headers: proofHeaders(proof),
  });
}

/** A real key through the real routes: a code for `create`, then `POST /v1/api-keys`. */
export async function createKey(
  owner: SeededAccount,
  body: { name: string; description?: string; permissions: string[] } = {
    name: 'Orders sync',
    permissions: ['stores'],
  },
): Promise<CreatedKey> {
  const proof = await requestCode(owner, { action: 'create', request: body });
  const response = await invoke(createApiKey, createKeyEvent(owner.ownerId, body, proof));
  expect(response.statusCode, JSON.stringify(response.json)).toBe(201);
  const created = response.json as CreatedKey;
  rememberSecret(created.token);
  return created;
}

/** Every item in this file's table, as the document client reads it. */
export async function scanTable(): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let cursor: Record<string, unknown> | undefined;
  do {
    const page = await dynamoDocumentClient().send(
      new ScanCommand({ TableName: tableName(), ExclusiveStartKey: cursor, ConsistentRead: true }),
    );
    items.push(...(page.Items ?? []));
    cursor = page.LastEvaluatedKey;
  } while (cursor !== undefined);
  return items;
}

/** Every string anywhere in the table's attribute values (including nested lists and maps). */
export async function allStoredStrings(): Promise<string[]> {
  const strings: string[] = [];
  const walk = (value: unknown): void => {
    if (typeof value === 'string') strings.push(value);
    else if (typeof value === 'number') strings.push(String(value));
    else if (Array.isArray(value)) value.forEach(walk);
    else if (value instanceof Set) [...value].forEach(walk);
    else if (typeof value === 'object' && value !== null) Object.values(value).forEach(walk);
  };
  (await scanTable()).forEach(walk);
  return strings;
}
