import { createHash, createHmac } from 'node:crypto';
import type { Readable } from 'node:stream';
import { fromEnv } from '@aws-sdk/credential-provider-env';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { Checksum, SourceData } from '@smithy/types';
import type { SdkTransport } from './signed-json-request';

/**
 * A transport for signed JSON calls with no SDK client behind it: the credentials and region Lambda
 * puts in every function's environment (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`,
 * `AWS_SESSION_TOKEN`, `AWS_REGION`), the SDK's own Node HTTP handler (keep-alive connections) and
 * Node's SHA-256. The authorizer reads the key item and decrypts the pepper over it, so its bundle
 * carries no DynamoDB or KMS client (each registers its whole schema at load) and its calls skip the
 * client's middleware stack.
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
    sha256: NodeSha256,
    streamCollector: (stream: unknown) => readAll(stream as Readable),
  };
}

/** SHA-256, or HMAC-SHA-256 when given a secret: the one hash SigV4 signing asks for. */
class NodeSha256 implements Checksum {
  private hash;

  constructor(private readonly secret?: SourceData) {
    this.hash = this.fresh();
  }

  update(data: Uint8Array): void {
    this.hash.update(data);
  }

  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }

  reset(): void {
    this.hash = this.fresh();
  }

  private fresh() {
    const secret = this.secret;
    if (secret === undefined) return createHash('sha256');
    if (typeof secret === 'string') return createHmac('sha256', secret);
    return createHmac(
      'sha256',
      ArrayBuffer.isView(secret)
        ? new Uint8Array(secret.buffer, secret.byteOffset, secret.byteLength)
        : new Uint8Array(secret),
    );
  }
}

async function readAll(stream: Readable): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
}
