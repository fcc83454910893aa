import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';

/**
 * The floor the authorizer is measured against: the least a Lambda can do to look a key up, one
 * raw strongly consistent GetItemCommand on the key item through its own client, with nothing of
 * Latchkey's code in between. The bench bundles it with the stack's own esbuild settings.
 */
const client = new DynamoDBClient({});
const tableName = process.env.LATCHKEY_TABLE_NAME;

export async function handler(event: { keyId: string }): Promise<{ found: boolean }> {
  const { Item } = await client.send(
    new GetItemCommand({
      TableName: tableName,
      Key: { pk: { S: `KEY#${event.keyId}` }, sk: { S: 'KEY' } },
      ConsistentRead: true,
    }),
  );
  return { found: Item !== undefined };
}
