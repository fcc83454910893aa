import type { Actor } from '../domain/actors';
import { resolveActor } from '../domain/actors';
import { KEY_ID_PATTERN } from '../domain/ids';
import { KEY_NOT_FOUND } from '../domain/key-reads';
import type { AccountStore } from '../domain/ports';
import type { HttpEvent } from './event';
import { httpHandler, type RouteFunction } from './http-handler';
import { callerDetails, callerId, pathParam } from './request';
import type { HttpResult } from './responses';

/**
 * The steps every management route takes before its own: the signed-in caller's membership (the
 * account comes from the table, never the client), and for the key routes a well-formed `keyId`
 * (anything else is the same 404 as a key that does not exist). A route then says only what differs.
 */
export interface MemberRequest {
  readonly event: HttpEvent;
  readonly actor: Actor;
}

export interface KeyRequest extends MemberRequest {
  readonly keyId: string;
}

/** A route any member of an account may call. */
export function memberRoute(
  accounts: AccountStore,
  route: (request: MemberRequest) => Promise<HttpResult>,
): RouteFunction {
  return httpHandler(async (event) => {
    const actor = await resolveActor(accounts, callerId(event), callerDetails(event));
    return route({ event, actor });
  });
}

/** A route on one API key of the caller's account: `/v1/api-keys/{keyId}...`. */
export function keyRoute(
  accounts: AccountStore,
  route: (request: KeyRequest) => Promise<HttpResult>,
): RouteFunction {
  return memberRoute(accounts, ({ event, actor }) =>
    route({ event, actor, keyId: pathParam(event, 'keyId', KEY_ID_PATTERN, KEY_NOT_FOUND) }),
  );
}
