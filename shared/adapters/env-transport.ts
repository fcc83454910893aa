import { fromEnv } from '@aws-sdk/credential-provider-env';
import { Hash } from '@smithy/core/serde';
import { NodeHttpHandler, streamCollector } from '@smithy/node-http-handler';
import type { SdkTransport } from './signed-json-request';

/**
 * A transport for signed JSON calls with no SDK client behind it: the credentials and region Lambda
 * puts in every function's environment (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`,
 * `AWS_SESSION_TOKEN`, `AWS_REGION`), and the pieces the SDK's own Node clients are configured with:
 * its Node HTTP handler (keep-alive connections), its body reader and its SHA-256 over Node's crypto.
 * The authorizer reads the key item and decrypts the pepper over it, so its bundle carries no
 * DynamoDB or KMS client (each registers its whole schema at load) and its calls skip the client's
 * middleware stack.
 *
 * Timeouts as the SDK clients have them: connecting may take 1 s, an answer 3 s, and a stalled
 * answer fails rather than waits for the Lambda's own timeout.
 */
export function envTransport(): SdkTransport {
  const region = process.env.AWS_REGION;
  if (region === undefined || region === '') throw new Error('Missing required setting AWS_REGION');
  return {
    credentials: fromEnv(),
    region: async () => region,
    requestHandler: new NodeHttpHandler({
      connectionTimeout: 1000,
      requestTimeout: 3000,
      throwOnRequestTimeout: true,
    }),
    sha256: Hash.bind(null, 'sha256'),
    streamCollector,
  };
}
