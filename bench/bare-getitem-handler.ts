import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDocumentClient } from '../shared/adapters/aws-clients';
import { keyOf } from '../shared/adapters/table-schema';
import { requireEnv, SETTINGS } from '../shared/config';

/**
 * The floor the authorizer is measured against: a Lambda that does nothing but the one strongly
 * consistent GetItem of a key item, through the same shared client and bundled the same way.
 */
const client = dynamoDocumentClient();
const tableName = requireEnv(SETTINGS.tableName);

export async function handler(event: { keyId: string }): Promise<{ found: boolean }> {
  const { Item } = await client.send(
    new GetCommand({ TableName: tableName, Key: keyOf.apiKey(event.keyId), ConsistentRead: true }),
  );
  return { found: Item !== undefined };
}
