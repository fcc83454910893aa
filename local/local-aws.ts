/**
 * The AWS SDK settings that point the real clients at the local engines. Local mode, the admin
 * command's `--local`, the tests and the bench all call this one function, so they agree on what
 * "local" means. It must run before the first client is built (clients read the settings once).
 * The SDK's own standard variables are used, so no handler or adapter knows it is local.
 */
export interface LocalEndpoints {
  /** DynamoDB Local's endpoint. */
  readonly dynamodb: string;
  /** aws-ses-v2-local's endpoint, when this process sends or reads mail. */
  readonly ses?: string | undefined;
}

export function useLocalAws(endpoints: LocalEndpoints): void {
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    // Placeholders: the local engines check neither, but the SDK refuses to sign without them.
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  });
  if (endpoints.ses !== undefined) {
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_SESV2: endpoints.ses,
      LATCHKEY_SES_LOCAL_URL: endpoints.ses,
    });
  }
  // A developer's real profile or session must never be what a local run signs with.
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
}
