import * as z from 'zod';

/** What `npm start` reads from its environment, and the banner it prints once it runs. */

const portSetting = (name: string) =>
  z.coerce
    .number({ error: `${name} must be a port number` })
    .int(`${name} must be a port number`)
    .min(0, `${name} must be a port number`)
    .max(65535, `${name} must be a port number`);

const envSchema = z.object({
  PORT: portSetting('PORT').default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  LATCHKEY_DATA_DIR: z.string().min(1).optional(),
  LATCHKEY_SES_PORT: portSetting('LATCHKEY_SES_PORT').default(8005),
  LATCHKEY_DYNAMODB_PORT: portSetting('LATCHKEY_DYNAMODB_PORT').default(0),
});

export type StartSettings = z.infer<typeof envSchema>;

/** The settings, or undefined after printing one line that names each bad one. A blank value is unset. */
export function readStartSettings(): StartSettings | undefined {
  const blank = (value: string | undefined) =>
    value === undefined || value.trim() === '' ? undefined : value;
  const parsed = envSchema.safeParse({
    PORT: blank(process.env.PORT),
    HOST: blank(process.env.HOST),
    LATCHKEY_DATA_DIR: blank(process.env.LATCHKEY_DATA_DIR),
    LATCHKEY_SES_PORT: blank(process.env.LATCHKEY_SES_PORT),
    LATCHKEY_DYNAMODB_PORT: blank(process.env.LATCHKEY_DYNAMODB_PORT),
  });
  if (!parsed.success) {
    console.error(`latchkey: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
    return undefined;
  }
  return parsed.data;
}

export function printBanner(info: {
  url: string;
  sesUrl: string;
  dynamoEndpoint: string;
  dataDir: string;
  tableName: string;
}) {
  const lines = [
    '',
    'Latchkey is running locally.',
    `  Console (API Keys page)       ${info.url}/`,
    `  API (management + protected)  ${info.url}`,
    `  Dev token (JWT)               ${info.url}/local/dev-token`,
    `  Inbox (codes, as JSON)        ${info.url}/local/inbox`,
    `  Inbox web page (local SES)    ${info.sesUrl}/`,
    `  DynamoDB Local                ${info.dynamoEndpoint}  table ${info.tableName}`,
    `  Data dir                      ${info.dataDir}`,
    'Press Ctrl-C to stop.',
    '',
  ];
  console.log(lines.join('\n'));
}
