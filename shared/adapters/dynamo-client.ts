import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/**
 * The one DynamoDB client of a process, created on first use. Its endpoint comes from the SDK's
 * standard setting (`AWS_ENDPOINT_URL_DYNAMODB`), which is how local mode points it at DynamoDB
 * Local. Short timeouts and few retries: a caller that waits is worse than one that says no.
 * `throwOnRequestTimeout`: without it the SDK's request handler only logs a warning when
 * `requestTimeout` passes and keeps waiting, so a stalled connection would hold the caller until
 * the Lambda's own timeout.
 * The management functions use it, through the document client (aws-clients.ts); the authorizer
 * has no DynamoDB client at all (dynamo-json-call.ts).
 */
let client: DynamoDBClient | undefined;

export function dynamoClient(): DynamoDBClient {
  client ??= new DynamoDBClient({
    maxAttempts: 3,
    requestHandler: { connectionTimeout: 1000, requestTimeout: 3000, throwOnRequestTimeout: true },
  });
  return client;
}
