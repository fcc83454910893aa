import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { kmsClient } from '../../shared/adapters/aws-clients';
import { KmsPepperGenerator } from '../../shared/adapters/kms-pepper-generator';
import { logger } from '../../shared/logger';
import { onPepperEvent, type PepperResourceResult } from './pepper-resource';

const generator = new KmsPepperGenerator(kmsClient());

/**
 * onEvent handler of the pepper custom resource (CDK provider framework). It returns the encrypted
 * pepper, base64, in Data; the plaintext never exists outside KMS. A thrown error fails the
 * deployment step and the framework reports it to CloudFormation.
 */
export async function handler(event: CloudFormationCustomResourceEvent): Promise<PepperResourceResult> {
  logger.info('pepper resource event', {
    requestType: event.RequestType,
    logicalId: event.LogicalResourceId,
  });
  return onPepperEvent(event, generator);
}
