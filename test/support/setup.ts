import { randomBytes } from 'node:crypto';
import { afterAll, expect, inject } from 'vitest';
import { useLocalAws } from '../../local/local-aws';
import { ensureTable } from '../../local/table';
import { LocalKeyProvider } from '../../shared/adapters/local-key-provider';
import { pepperEncryptionContext } from '../../shared/domain/pepper';
import { apiKeyRoutesSetting } from '../../shared/routes';
import { capturedOutput, secretsIssued, startCapturingOutput } from './log-capture';

/**
 * Runs before each test file, in that file's own module graph: points the real AWS SDK clients at the
 * run's DynamoDB Local and SES, gives the file a fresh table and pepper, and captures everything the code
 * prints, so the file can end by proving no token or code reached a log.
 */
const dynamoEndpoint = inject('dynamoEndpoint');
const sesEndpoint = inject('sesEndpoint');

useLocalAws({ dynamodb: dynamoEndpoint, ses: sesEndpoint });

const masterKey = LocalKeyProvider.newMasterKey();
const provider = new LocalKeyProvider(masterKey);
const tableName = `latchkey-test-${randomBytes(6).toString('hex')}`;

Object.assign(process.env, {
  LATCHKEY_TABLE_NAME: tableName,
  LATCHKEY_KEY_PROVIDER: 'local',
  LATCHKEY_LOCAL_MASTER_KEY: Buffer.from(masterKey).toString('base64'),
  LATCHKEY_PEPPERS: JSON.stringify({
    '1': Buffer.from(provider.generateDataKeyWithoutPlaintext(pepperEncryptionContext(1))).toString('base64'),
  }),
  LATCHKEY_MAIL_FROM: 'Latchkey <no-reply@latchkey.test>',
  LATCHKEY_PROTECTED_ROUTES: apiKeyRoutesSetting(),
});

await ensureTable(tableName);

startCapturingOutput();

afterAll(() => {
  const output = capturedOutput();
  for (const secret of secretsIssued()) {
    // A code is six digits: inside a longer number (an epoch-millisecond timestamp in a metrics line)
    // the same digits are not the code, so only a standalone run counts as a leak.
    const leaked = /^\d+$/.test(secret)
      ? new RegExp(`(?<!\\d)${secret}(?!\\d)`).test(output)
      : output.includes(secret);
    expect(leaked, 'a token or verification code reached the log').toBe(false);
  }
});
