import { envTransport } from '../adapters/env-transport';
import { optionalEnv } from '../config';
import { once } from './once';

/**
 * The signed-call transport of a process (env-transport.ts): the authorizer's key reads and every
 * function's pepper decrypt go over it, so the authorizer needs no SDK client.
 */
export const transport = /* @__PURE__ */ once(envTransport);

/** A service's endpoint as the SDK's standard settings give it; undefined means the region's own. */
export function serviceEndpoint(service: 'DYNAMODB' | 'KMS'): string | undefined {
  return optionalEnv(`AWS_ENDPOINT_URL_${service}`) ?? optionalEnv('AWS_ENDPOINT_URL');
}
