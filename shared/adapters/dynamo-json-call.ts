import { crc32 } from 'node:zlib';
import { type SdkTransport, signedJsonRequest } from './signed-json-request';

/**
 * One DynamoDB API call in its JSON protocol (`x-amz-target: DynamoDB_20120810.<Operation>`), signed
 * over a transport, for the authorizer, which has no DynamoDB client. What the SDK client would add
 * that matters here is done here too: the reply's CRC32 is checked, a failure carries the service's
 * error name (`ConditionalCheckFailedException`, `ResourceNotFoundException`, ...), and throttling,
 * a 5xx, a refused or reset connection or a corrupted reply is retried, at most three attempts in
 * all, after a short jittered pause. A timeout is not retried: an authorizer that waits is worse
 * than one that says no, and the caller fails closed.
 */
export class DynamoServiceError extends Error {
  constructor(
    name: string,
    message: string,
    readonly status: number,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = name;
  }
}

const MAX_ATTEMPTS = 3;
const THROTTLING = new Set([
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'LimitExceededException',
]);
const RETRYABLE_NETWORK = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE']);

export async function dynamoJsonCall(
  transport: SdkTransport,
  endpoint: string | undefined,
  operation: string,
  body: object,
): Promise<Record<string, unknown>> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await attemptCall(transport, endpoint, operation, body);
    } catch (error) {
      if (attempt >= MAX_ATTEMPTS || !retryable(error)) throw error;
      await pause(attempt);
    }
  }
}

async function attemptCall(
  transport: SdkTransport,
  endpoint: string | undefined,
  operation: string,
  body: object,
): Promise<Record<string, unknown>> {
  const reply = await signedJsonRequest(transport, {
    service: 'dynamodb',
    endpointPrefix: 'dynamodb',
    endpoint,
    path: '/',
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': `DynamoDB_20120810.${operation}`,
    },
    body,
  });
  const expected = reply.headers['x-amz-crc32'];
  if (expected !== undefined && Number(expected) !== crc32(reply.bytes)) {
    throw new DynamoServiceError(
      'CorruptedReply',
      `${operation}: the reply failed its CRC32 check`,
      reply.status,
      true,
    );
  }
  const fields =
    typeof reply.json === 'object' && reply.json !== null ? (reply.json as Record<string, unknown>) : {};
  if (reply.status === 200) return fields;
  // `com.amazonaws.dynamodb.v20120810#ResourceNotFoundException` -> `ResourceNotFoundException`.
  const name =
    String(fields.__type ?? `HTTP${reply.status}`)
      .split('#')
      .pop() ?? 'UnknownError';
  const message = String(fields.message ?? fields.Message ?? `${operation} failed with HTTP ${reply.status}`);
  throw new DynamoServiceError(name, message, reply.status, reply.status >= 500 || THROTTLING.has(name));
}

function retryable(error: unknown): boolean {
  if (error instanceof DynamoServiceError) return error.retryable;
  // The HTTP handler's timeouts (connecting, waiting for the answer) are never retried.
  if (error instanceof Error && error.name === 'TimeoutError') return false;
  const code = error instanceof Error && 'code' in error ? error.code : undefined;
  return typeof code === 'string' && RETRYABLE_NETWORK.has(code);
}

/** Full jitter over 25 ms, then 50 ms: a retry is worth a little, never a lot, of the caller's wait. */
function pause(attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.random() * 25 * 2 ** (attempt - 1)));
}
