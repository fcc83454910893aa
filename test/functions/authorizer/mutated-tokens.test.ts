import type { APIGatewaySimpleAuthorizerWithContextResult } from 'aws-lambda';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { handler } from '../../../functions/authorizer/authorize';
import { TOKEN_LENGTH } from '../../../shared/domain/token';
import { seedAccount } from '../../support/accounts';
import { httpApiEvent, type IssuedKey, issueKey, restTokenEvent, watchDynamo } from './support';

const dynamo = watchDynamo();
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_-+/=. ';

let key: IssuedKey;
let accountId: string;

beforeAll(async () => {
  const { account } = await seedAccount();
  accountId = account.accountId;
  key = await issueKey(account);
  const allowed = (await handler(
    httpApiEvent('GET /v1/sites', { authorization: key.token, accountId }),
  )) as APIGatewaySimpleAuthorizerWithContextResult<unknown>;
  // The unmutated token is allowed, so every refusal below is the mutation's doing.
  expect(allowed.isAuthorized).toBe(true);
});

const char = fc.constantFrom(...ALPHABET.split(''));
// HTTP strips optional white space around a header value, and so does the authorizer: a token with
// spaces around it is the same token, so added heads and tails are drawn without white space.
const visibleChar = fc.constantFrom(...ALPHABET.replace(' ', '').split(''));

/** Mutations of the real token: one character changed, truncated, extended, or replaced outright. */
const mutatedToken = () =>
  fc.oneof(
    fc
      .record({ at: fc.nat({ max: TOKEN_LENGTH - 1 }), to: char })
      .map(({ at, to }) => key.token.slice(0, at) + to + key.token.slice(at + 1)),
    fc.nat({ max: TOKEN_LENGTH - 1 }).map((length) => key.token.slice(0, length)),
    fc.string({ unit: visibleChar, minLength: 1, maxLength: 8 }).map((tail) => key.token + tail),
    fc.string({ unit: visibleChar, minLength: 1, maxLength: 8 }).map((head) => head + key.token),
    fc.string({ unit: char, minLength: 0, maxLength: 120 }),
    fc.string({ unit: char, minLength: TOKEN_LENGTH - 3, maxLength: TOKEN_LENGTH }).map((s) => `lk_${s}`),
  );

describe('mutated tokens', () => {
  it('are never allowed and never cause a DynamoDB call, in either response format', async () => {
    await fc.assert(
      fc.asyncProperty(mutatedToken(), fc.boolean(), async (token, bearer) => {
        fc.pre(token !== key.token);
        const authorization = bearer ? `Bearer ${token}` : token;
        dynamo.reset();
        const simple = (await handler(
          httpApiEvent('GET /v1/sites', { authorization, accountId }),
        )) as APIGatewaySimpleAuthorizerWithContextResult<unknown>;
        expect(simple.isAuthorized).toBe(false);
        const policy = await handler(restTokenEvent('GET', '/v1/sites', authorization));
        expect('policyDocument' in policy && policy.policyDocument.Statement.map((s) => s.Effect)).toEqual([
          'Deny',
        ]);
        expect(dynamo.calls).toEqual([]);
      }),
      // A fixed seed keeps the suite deterministic; change it (or drop it locally) to explore further.
      { numRuns: 1000, seed: 20261126 },
    );
  });
});
