import * as z from 'zod';
import type { ZodOpenApiResponsesObject } from 'zod-openapi';
import { routeAccess } from '../shared/domain/protected-routes';
import type { RouteDefinition } from '../shared/routes';
import { ERROR_CODES, type ErrorCode, statusOf } from './error-codes';
import type { RouteContract } from './route-contracts';
import { errorBodySchema, gatewayMessageSchema } from './schemas';

const retryAfterHeader = z
  .string()
  .regex(/^\d+$/)
  .meta({ description: 'Seconds to wait before trying again.' });

/**
 * Every error a route can answer, by status: the codes its contract names, the ones its kind of
 * authorization, body, query and code check add, and the answers API Gateway gives by itself.
 */
export function errorResponses(route: RouteDefinition, contract: RouteContract): ZodOpenApiResponsesObject {
  const codes = new Set<ErrorCode>(contract.errors);
  codes.add('internal_error');
  codes.add('unauthorized');
  if (route.auth.kind === 'apiKey') {
    codes.add('missing_permission');
    if (route.auth.scope === 'site') codes.add('missing_site');
    if (routeAccess({ method: route.method, access: route.auth.access }) === 'write')
      codes.add('read_only_key');
  }
  if (contract.body !== undefined) {
    for (const code of [
      'validation_failed',
      'invalid_json',
      'payload_too_large',
      'unsupported_media_type',
    ] as const)
      codes.add(code);
  }
  if (contract.query !== undefined || contract.ifMatch === true) codes.add('validation_failed');
  if (contract.verified === true) {
    codes.add('validation_failed');
    for (const code of [
      'verification_failed',
      'verification_expired',
      'verification_used',
      'verification_exhausted',
      'member_locked',
    ] as const)
      codes.add(code);
  }

  // Answers API Gateway gives itself, before or instead of the handler.
  const gatewayStatuses = new Set<number>([500]);
  // A signed route has no gateway authorizer: its 401 is the handler's own.
  if (route.auth.kind !== 'signature') gatewayStatuses.add(401);
  if (route.auth.kind === 'apiKey') gatewayStatuses.add(403);
  if (contract.body !== undefined) gatewayStatuses.add(413);

  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of [...codes].sort()) {
    const list = byStatus.get(statusOf(code)) ?? [];
    list.push(code);
    byStatus.set(statusOf(code), list);
  }
  const responses: ZodOpenApiResponsesObject = {};
  for (const status of [...new Set([...byStatus.keys(), ...gatewayStatuses])].sort((a, b) => a - b)) {
    const statusCodes = byStatus.get(status) ?? [];
    const fromGateway = gatewayStatuses.has(status);
    const lines = statusCodes.map((code) => `- \`${code}\`: ${ERROR_CODES[code].description}`);
    if (fromGateway) lines.push(`- \`{"message": ...}\`: ${gatewayReason(status, route)}`);
    const body =
      statusCodes.length === 0
        ? gatewayMessageSchema
        : fromGateway
          ? z.union([errorBodySchema(statusCodes), gatewayMessageSchema])
          : errorBodySchema(statusCodes);
    const retry = status === 429 || status === 503;
    responses[`${status}` as `${4 | 5}${string}`] = {
      description: lines.join('\n'),
      ...(retry ? { headers: z.object({ 'Retry-After': retryAfterHeader }) } : {}),
      content: { 'application/json': { schema: body } },
    };
  }
  return responses;
}

function gatewayReason(status: number, route: RouteDefinition): string {
  switch (status) {
    case 401:
      return route.auth.kind === 'jwt'
        ? 'API Gateway refused the bearer token (missing, expired, wrong issuer or audience).'
        : 'API Gateway found no `Authorization` or no `x-account-id` header.';
    case 403:
      return 'The Latchkey authorizer refused the key (unknown, revoked, wrong account or site, or lacking the permission).';
    case 413:
      return "The body is over API Gateway's own limit.";
    default:
      return 'The function crashed or timed out.';
  }
}
