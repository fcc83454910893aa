import type { DynamoDBClientResolvedConfig } from '@aws-sdk/client-dynamodb';
import { SignatureV4 } from '@smithy/signature-v4';
import type { HttpRequest } from '@smithy/types';

/** What a signed call borrows from an SDK client that is already in the bundle. */
export type SdkTransport = Pick<
  DynamoDBClientResolvedConfig,
  'credentials' | 'region' | 'requestHandler' | 'sha256' | 'streamCollector'
>;

export interface SignedJsonRequest {
  /** The SigV4 signing name: `kms`, `ses`. */
  readonly service: string;
  /** The DNS prefix of the regional endpoint: `kms`, `email`. */
  readonly endpointPrefix: string;
  /** The service's standard endpoint override (`AWS_ENDPOINT_URL_KMS`, ...), when set. */
  readonly endpoint: string | undefined;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: unknown;
}

export interface SignedJsonReply {
  readonly status: number;
  readonly headers: Record<string, string | undefined>;
  /** The parsed body, `{}` when empty. */
  readonly json: unknown;
}

/**
 * One SigV4-signed JSON request, sent with the credentials, region and HTTP handler of the SDK
 * client the function already has. A function that makes one or two calls to KMS or SES this way
 * does not bundle that service's whole SDK client (every error class and schema, registered at
 * load: about 30 KB for KMS, 60 KB for SESv2). One attempt, no retries: callers fail closed.
 */
export async function signedJsonRequest(
  transport: SdkTransport,
  call: SignedJsonRequest,
): Promise<SignedJsonReply> {
  const region = await transport.region();
  const url = new URL(call.endpoint ?? regionalEndpoint(call.endpointPrefix, region));
  const body = JSON.stringify(call.body);
  const basePath = url.pathname.replace(/\/$/, '');
  const request: HttpRequest = {
    method: 'POST',
    protocol: url.protocol,
    hostname: url.hostname,
    ...(url.port === '' ? {} : { port: Number(url.port) }),
    path: `${basePath}${call.path}`,
    query: {},
    headers: { host: url.host, ...call.headers, 'content-length': String(Buffer.byteLength(body)) },
    body,
  };
  const signer = new SignatureV4({
    service: call.service,
    region,
    credentials: transport.credentials,
    sha256: transport.sha256,
  });
  const { response } = await transport.requestHandler.handle(await signer.sign(request));
  const text = Buffer.from(await transport.streamCollector(response.body)).toString('utf8');
  return {
    status: response.statusCode,
    headers: response.headers,
    json: text === '' ? {} : JSON.parse(text),
  };
}

/** A service's regional endpoint; the China regions live under their own DNS suffix. */
export function regionalEndpoint(prefix: string, region: string): string {
  return `https://${prefix}.${region}.${region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com'}`;
}
