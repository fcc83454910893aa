import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { createTableInput, timeToLiveInput } from '../shared/adapters/table-schema';

/**
 * Creates the Latchkey table on the local engine when it is not there yet (first start), from the
 * same definition as the CDK table, and waits until it is ACTIVE. An existing table is left as it
 * is: that is what a restart finds.
 */
export async function ensureTable(tableName: string): Promise<'created' | 'existing'> {
  const client = new DynamoDBClient({});
  try {
    let outcome: 'created' | 'existing' = 'existing';
    try {
      await client.send(new CreateTableCommand(createTableInput(tableName)));
      outcome = 'created';
    } catch (error) {
      if (!(error instanceof Error && error.name === 'ResourceInUseException')) throw error;
    }
    for (let attempt = 0; attempt < 100; attempt++) {
      const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
      if (Table?.TableStatus === 'ACTIVE') {
        // Checked on every start, so a start that died between the two calls is mended by the next.
        const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
        if (ttl.TimeToLiveDescription?.TimeToLiveStatus !== 'ENABLED') {
          await client.send(new UpdateTimeToLiveCommand(timeToLiveInput(tableName)));
        }
        return outcome;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`Table ${tableName} did not become ACTIVE`);
  } finally {
    client.destroy();
  }
}

/** Whether the local engine holds the table (the admin command's `--local` refuses a store without one). */
export async function tableExists(tableName: string): Promise<boolean> {
  const client = new DynamoDBClient({});
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    return true;
  } catch (error) {
    if (error instanceof Error && error.name === 'ResourceNotFoundException') return false;
    throw error;
  } finally {
    client.destroy();
  }
}
