import { randomBytes } from 'node:crypto';
import { DynamoDBClient, type ServiceInputTypes, type ServiceOutputTypes } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { FinalizeHandler, FinalizeHandlerArguments } from '@smithy/types';

/**
 * A real DynamoDB client (the production settings: three attempts) whose transport can lose
 * responses: the request reaches DynamoDB Local and is applied, then the client sees a timeout,
 * which the SDK treats as transient and retries. This is the failure a write must survive without
 * reporting the wrong outcome.
 */
export interface LossPlan {
  /** How many attempts' responses to lose, from the first. @default 1 */
  readonly attempts?: number;
  /**
   * Make each retry a request DynamoDB does not recognise as the first one (a new
   * ClientRequestToken, as after its idempotency window), so the retry re-checks its condition.
   * @default false
   */
  readonly forgetRequest?: boolean;
}

export interface LossyDynamo {
  readonly client: DynamoDBDocumentClient;
  /** Applies `plan` to the next request of this operation whose body contains `marker`. */
  loseNext(operation: string, marker: string, plan?: LossPlan): void;
  /** Every request sent (retries included) since the last loseNext, by operation. */
  readonly sent: string[];
  /** Operations whose response was lost since the last loseNext. */
  readonly lost: string[];
}

interface Armed {
  readonly operation: string;
  readonly marker: string;
  readonly forgetRequest: boolean;
  losses: number;
}

const operationOf = (request: { headers?: Record<string, string> }) =>
  (request.headers?.['x-amz-target'] ?? '').replace('DynamoDB_20120810.', '');

export function lossyDynamo(): LossyDynamo {
  const raw = new DynamoDBClient({
    maxAttempts: 3,
    requestHandler: { connectionTimeout: 1000, requestTimeout: 3000 },
  });
  let armed: Armed | undefined;
  const sent: string[] = [];
  const lost: string[] = [];
  const matches = (request: { headers?: Record<string, string>; body?: unknown }) =>
    armed !== undefined &&
    operationOf(request) === armed.operation &&
    String(request.body).includes(armed.marker);

  // Before signing, on every attempt: a retry of the armed request gets a token DynamoDB never saw.
  raw.middlewareStack.addRelativeTo(
    (next: FinalizeHandler<ServiceInputTypes, ServiceOutputTypes>) =>
      async (args: FinalizeHandlerArguments<ServiceInputTypes>) => {
        const request = args.request as { headers?: Record<string, string>; body?: unknown };
        const retry = /attempt=([2-9])/.test(request.headers?.['amz-sdk-request'] ?? '');
        if (armed?.forgetRequest === true && retry && matches(request)) {
          // Same length, so Content-Length still holds.
          request.body = String(request.body).replace(
            /"ClientRequestToken":"([^"]*)"/,
            (_, token: string) =>
              `"ClientRequestToken":"${randomBytes(token.length).toString('hex').slice(0, token.length)}"`,
          );
        }
        return next(args);
      },
    { name: 'forgetRetriedRequest', relation: 'before', toMiddleware: 'httpSigningMiddleware' },
  );
  // Inside the retry loop, after the engine answered: as if the answer never arrived.
  raw.middlewareStack.add(
    (next) => async (args) => {
      const request = args.request as { headers?: Record<string, string>; body?: unknown };
      sent.push(operationOf(request));
      const result = await next(args);
      if (armed !== undefined && armed.losses > 0 && matches(request)) {
        armed.losses -= 1;
        lost.push(operationOf(request));
        throw Object.assign(new Error('socket timed out after the request was sent'), {
          name: 'TimeoutError',
        });
      }
      return result;
    },
    { step: 'deserialize', name: 'loseResponses' },
  );
  return {
    client: DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } }),
    loseNext(operation, marker, plan = {}) {
      armed = { operation, marker, forgetRequest: plan.forgetRequest ?? false, losses: plan.attempts ?? 1 };
      sent.length = 0;
      lost.length = 0;
    },
    sent,
    lost,
  };
}
