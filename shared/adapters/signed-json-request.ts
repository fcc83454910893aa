import { SignatureV4 } from '@smithy/signature-v4';
import type {
  AwsCredentialIdentityProvider,
  ChecksumConstructor,
  HashConstructor,
  HttpRequest,
  HttpResponse,
  Provider,
  StreamCollector,
} from '@smithy/types';

/**
 * What a signed call needs: credentials, region, an HTTP handler, SHA-256 and a body reader. An SDK
 * client's resolved config is one (a function that has the DynamoDB client lends it); the
 * authorizer, which has no SDK client at all, builds one from its environment (env-transport.ts).
 */
export interface SdkTransport {
  readonly credentials: AwsCredentialIdentityProvider;
  readonly region: Provider<string>;
  // Method syntax on purpose: the SDK's handler takes its own HttpRequest class, of which this
  // module's plain request object has every field the handler reads.
  readonly requestHandler: { handle(request: HttpRequest): Promise<{ response: HttpResponse }> };
  readonly sha256: ChecksumConstructor | HashConstructor;
  readonly streamCollector: StreamCollector;
}

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
  /** The body as received, for a checksum over it. */
  readonly bytes: Uint8Array;
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
  const { response } = await transport.requestHandler.handle(
    await signerFor(transport, call.service, region).sign(request),
  );
  const bytes = await transport.streamCollector(response.body);
  const text = Buffer.from(bytes).toString('utf8');
  return {
    status: response.statusCode,
    headers: response.headers,
    json: text === '' ? {} : JSON.parse(text),
    bytes,
  };
}

/** One signer per transport and service, kept: the authorizer signs a GetItem on every request. */
const signers = new WeakMap<SdkTransport, Map<string, SignatureV4>>();

function signerFor(transport: SdkTransport, service: string, region: string): SignatureV4 {
  let byService = signers.get(transport);
  if (byService === undefined) {
    byService = new Map();
    signers.set(transport, byService);
  }
  const key = `${service} ${region}`;
  let signer = byService.get(key);
  if (signer === undefined) {
    signer = new SignatureV4({
      service,
      region,
      credentials: transport.credentials,
      sha256: transport.sha256,
    });
    byService.set(key, signer);
  }
  return signer;
}

/** A service's regional endpoint; the China regions live under their own DNS suffix. */
export function regionalEndpoint(prefix: string, region: string): string {
  return `https://${prefix}.${region}.${region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com'}`;
}
