/**
 * Settings come from the environment, read when a function first needs them (at cold start, since
 * handlers wire their services at module scope) and refused loudly, by name, when missing.
 */
export function requireEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined || value.trim() === '') {
    throw new Error(`Missing required setting ${name}`);
  }
  return value;
}

export function optionalEnv(name: string): string | undefined {
  const value = process.env[name];
  return value === undefined || value.trim() === '' ? undefined : value;
}

export const SETTINGS = {
  /** The DynamoDB table holding accounts, keys and challenges. */
  tableName: 'LATCHKEY_TABLE_NAME',
  /** JSON object: pepper version -> base64 encrypted data key. The highest version hashes new tokens. */
  peppers: 'LATCHKEY_PEPPERS',
  /** `kms` (default) or `local`: who decrypts the pepper. */
  keyProvider: 'LATCHKEY_KEY_PROVIDER',
  /** Optional KMS key id or ARN; when set, Decrypt refuses ciphertext made under another key. */
  pepperKmsKeyId: 'LATCHKEY_PEPPER_KMS_KEY_ID',
  /** Base64 32-byte master key of the local key provider (local mode only). */
  localMasterKey: 'LATCHKEY_LOCAL_MASTER_KEY',
  /** The verified SES identity codes are sent from. */
  mailFrom: 'LATCHKEY_MAIL_FROM',
  /** Optional SES configuration set for sending metrics. */
  sesConfigurationSet: 'LATCHKEY_SES_CONFIGURATION_SET',
  /**
   * JSON array of `{method, path, permission, scope, access?}`: the routes a Latchkey authorizer guards. The
   * CDK construct sets it; local mode and the tests set it from the `apiKey` routes of shared/routes.ts.
   */
  protectedRoutes: 'LATCHKEY_PROTECTED_ROUTES',
  /** Days an audit event is kept before the table's TTL removes it. @default 365 */
  auditRetentionDays: 'LATCHKEY_AUDIT_RETENTION_DAYS',
  /**
   * JSON array `[{key_identifier, key, is_current}]` of the PEM public keys whose signed leak reports
   * are heard (the shape GitHub publishes for secret scanning). Absent: every report gets 401.
   */
  leakReporterKeys: 'LATCHKEY_LEAK_REPORTER_KEYS',
  /** `true` only in local mode: webhooks may be delivered to loopback addresses (for tests). */
  webhooksAllowLoopback: 'LATCHKEY_WEBHOOKS_ALLOW_LOOPBACK',
} as const;
