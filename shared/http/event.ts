import type { APIGatewayEventRequestContextV2, APIGatewayProxyEventV2WithRequestContext } from 'aws-lambda';

export type JwtClaims = Record<string, string | number | boolean | string[]>;

/**
 * An API Gateway HTTP API (payload 2.0) event. Management routes carry the JWT authorizer's claims;
 * protected routes carry the Latchkey authorizer's context under `lambda`.
 */
export type HttpEvent = APIGatewayProxyEventV2WithRequestContext<
  APIGatewayEventRequestContextV2 & {
    authorizer?: {
      jwt?: { claims: JwtClaims; scopes: string[] | null };
      lambda?: Record<string, unknown>;
    };
  }
>;
