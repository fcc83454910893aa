import { KMSClient } from '@aws-sdk/client-kms';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dynamoClient } from './dynamo-client';

/**
 * Each AWS client is created once per process, on first use. Endpoints come from the SDK's own
 * standard settings (`AWS_ENDPOINT_URL_DYNAMODB`, `AWS_ENDPOINT_URL_KMS`), which is how local mode points
 * the very same clients at DynamoDB Local: no handler knows it is local. SES goes through
 * signed-json-request.ts on the DynamoDB client's transport instead, and the pepper's KMS Decrypt
 * and the authorizer's reads over the environment's transport (env-transport.ts).
 */
const requestHandler = { connectionTimeout: 1000, requestTimeout: 3000 } as const;

let dynamo: DynamoDBDocumentClient | undefined;
let kms: KMSClient | undefined;

/** The document client over the process's one DynamoDB client. */
export function dynamoDocumentClient(): DynamoDBDocumentClient {
  dynamo ??= DynamoDBDocumentClient.from(dynamoClient(), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return dynamo;
}

/** Only the pepper generator (a deploy-time custom resource) talks to KMS through the SDK client. */
export function kmsClient(): KMSClient {
  kms ??= new KMSClient({ maxAttempts: 3, requestHandler });
  return kms;
}
