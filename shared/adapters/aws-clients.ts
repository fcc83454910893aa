import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * Each AWS client is created once per process, here. Endpoints come from the SDK's own standard
 * settings (`AWS_ENDPOINT_URL_DYNAMODB`, `AWS_ENDPOINT_URL_SESV2`), which is how local mode points
 * the very same clients at DynamoDB Local and the local SES: no handler knows it is local.
 * Short timeouts and few retries: an authorizer that waits is worse than one that says no.
 */
const requestHandler = { connectionTimeout: 1000, requestTimeout: 3000 } as const;

let dynamo: DynamoDBDocumentClient | undefined;
let ses: SESv2Client | undefined;
let kms: KMSClient | undefined;

export function dynamoDocumentClient(): DynamoDBDocumentClient {
  dynamo ??= DynamoDBDocumentClient.from(new DynamoDBClient({ maxAttempts: 3, requestHandler }), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return dynamo;
}

export function sesClient(): SESv2Client {
  ses ??= new SESv2Client({ maxAttempts: 3, requestHandler });
  return ses;
}

export function kmsClient(): KMSClient {
  kms ??= new KMSClient({ maxAttempts: 3, requestHandler });
  return kms;
}
