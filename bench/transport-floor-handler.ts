import { dynamoJsonCall } from '../shared/adapters/dynamo-json-call';
import { envTransport } from '../shared/adapters/env-transport';
import { serviceEndpoint } from '../shared/wiring/transport';

/**
 * The second floor: the same one strongly consistent GetItem, made the way the authorizer makes it
 * (a signed DynamoDB JSON call over env-transport.ts, no SDK client) and nothing else. The SDK floor
 * (floor-handler.ts) says what the authorizer costs against the least a Lambda usually does; this
 * one says what Latchkey's own checks cost on top of its own way of reading.
 */
const transport = envTransport();
const endpoint = serviceEndpoint('DYNAMODB');
const tableName = process.env.LATCHKEY_TABLE_NAME;

export async function handler(event: { keyId: string }): Promise<{ found: boolean }> {
  const { Item } = await dynamoJsonCall(transport, endpoint, 'GetItem', {
    TableName: tableName,
    Key: { pk: { S: `KEY#${event.keyId}` }, sk: { S: 'KEY' } },
    ConsistentRead: true,
  });
  return { found: Item !== undefined };
}
