import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { handler as sendExpiryReminders } from '../../../functions/notifications/send-expiry-reminders';
import { dynamoDocumentClient } from '../../../shared/adapters/aws-clients';
import { TABLE_SCHEMA } from '../../../shared/adapters/table-schema';
import type { ApiKeyRecord } from '../../../shared/domain/api-keys';
import { DAY_MS } from '../../../shared/domain/expiry-reminders';
import { mintKey } from '../../../shared/domain/key-records';
import { keyStore } from '../../../shared/wiring/stores';
import { tableName } from '../../../shared/wiring/table';
import { seedAccount } from '../../support/accounts';
import { emailsTo } from '../../support/inbox';
import { unpepperedHasher } from '../../support/key-records';

/**
 * The scheduled reminder job against the real table and the local SES: keys that expire within 7
 * days get a mail (the 1-day one inside the last day), once per expiry date, read from the sparse
 * expiry index only.
 */
const keys = keyStore();

async function keyExpiringIn(accountId: string, name: string, ms: number | undefined): Promise<ApiKeyRecord> {
  const { record } = await mintKey(unpepperedHasher, {
    account: { accountId, sites: [] },
    fields: {
      name,
      description: '',
      permissions: ['sites.list'],
      ...(ms === undefined ? {} : { expiresAt: new Date(Date.now() + ms).toISOString() }),
    },
    by: 'u',
    now: new Date(),
  });
  await keys.create(record);
  return record;
}

/** Every DynamoDB command the job sends, by name, from the shared client's own middleware. */
async function commandsDuring(run: () => Promise<unknown>): Promise<string[]> {
  const sent: string[] = [];
  const client = dynamoDocumentClient();
  const name = `count-${Math.random()}`;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      sent.push(String(context.commandName));
      return next(args);
    },
    { step: 'initialize', name },
  );
  try {
    await run();
  } finally {
    client.middlewareStack.remove(name);
  }
  return sent;
}

describe('expiry reminders', () => {
  it('mail the 7-day and 1-day reminders that are due, once, from a Query of the sparse index', async () => {
    const { account } = await seedAccount();
    const inThreeDays = await keyExpiringIn(account.accountId, 'Three days left', 3 * DAY_MS);
    const inHalfADay = await keyExpiringIn(account.accountId, 'Half a day left', DAY_MS / 2);
    await keyExpiringIn(account.accountId, 'Twenty days left', 20 * DAY_MS);
    await keyExpiringIn(account.accountId, 'Already expired', -DAY_MS);
    const forever = await keyExpiringIn(account.accountId, 'Never expires', undefined);

    const commands = await commandsDuring(() => sendExpiryReminders());
    expect(commands).not.toContain('ScanCommand');
    expect(commands).toContain('QueryCommand');

    const mails = await emailsTo(account.email);
    expect(mails.map((m) => m.subject).sort()).toEqual([
      'Latchkey: an API key expires within 7 days',
      'Latchkey: an API key expires within a day',
    ]);
    const week = mails.find((m) => m.subject.endsWith('within 7 days'));
    expect(week?.text).toContain(
      `"Three days left" (${inThreeDays.keyId}) expires at ${inThreeDays.expiresAt}`,
    );
    expect(mails.find((m) => m.subject.endsWith('within a day'))?.text).toContain(inHalfADay.keyId);

    // A second run (or an overlapping one) sends nothing new.
    await sendExpiryReminders();
    expect(await emailsTo(account.email)).toHaveLength(2);

    // A new expiry date earns a new reminder.
    const later = { ...inThreeDays, expiresAt: new Date(Date.now() + 5 * DAY_MS).toISOString(), version: 2 };
    await keys.replace(later, 1);
    await sendExpiryReminders();
    expect(await emailsTo(account.email)).toHaveLength(3);

    // The index holds only keys that expire; a key whose expiry is lifted leaves it.
    await keys.replace({ ...inHalfADay, expiresAt: undefined, version: 2 }, 1);
    const indexed = await dynamoDocumentClient().send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: TABLE_SCHEMA.indexes.byExpiry.name,
        KeyConditionExpression: '#pk = :day',
        ExpressionAttributeNames: { '#pk': TABLE_SCHEMA.indexes.byExpiry.partitionKey },
        ExpressionAttributeValues: { ':day': `EXPIRES#${(later.expiresAt ?? '').slice(0, 10)}` },
      }),
    );
    expect((indexed.Items ?? []).map((item) => item.keyId)).toContain(inThreeDays.keyId);
    const everywhere = JSON.stringify(indexed.Items);
    expect(everywhere).not.toContain(forever.keyId);
    expect(everywhere).not.toContain('tokenHash');
  });
});
