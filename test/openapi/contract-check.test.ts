import { describe, expect, it } from 'vitest';
import { assertMatchesDescription, routeByKey } from '../support/contract';

/** The contract check the route tests run on every answer: it must refuse what the description does not allow. */
const getKey = routeByKey('GET /v1/api-keys/{keyId}');
const apiKey = {
  keyId: '01jq3v6m9x8k2c4n7p5r1s0t2w',
  name: 'Orders sync',
  description: '',
  permissions: ['sites.list'],
  createdAt: '2026-11-26T14:50:00.000Z',
  updatedAt: '2026-11-26T14:50:00.000Z',
  lastUsedAt: null,
};
const headers = {
  'Content-Type': 'application/json',
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
};

describe('the contract check', () => {
  if (getKey === undefined) throw new Error('GET /v1/api-keys/{keyId} is not in the route table');

  it('accepts a documented answer', () => {
    expect(() =>
      assertMatchesDescription(getKey, {
        statusCode: 200,
        headers: { ...headers, ETag: '"3"' },
        body: JSON.stringify({ apiKey }),
      }),
    ).not.toThrow();
  });

  it('refuses an undocumented status', () => {
    expect(() => assertMatchesDescription(getKey, { statusCode: 418, headers, body: '{}' })).toThrow(
      /answered 418, which docs\/openapi.json does not document/,
    );
  });

  it('refuses a success without its documented ETag', () => {
    expect(() =>
      assertMatchesDescription(getKey, { statusCode: 200, headers, body: JSON.stringify({ apiKey }) }),
    ).toThrow(/ETag is missing/);
  });

  it('refuses a body with a field the schema lacks, or without one it requires', () => {
    expect(() =>
      assertMatchesDescription(getKey, {
        statusCode: 200,
        headers: { ...headers, ETag: '"3"' },
        body: JSON.stringify({ apiKey: { ...apiKey, tokenHash: 'x' } }),
      }),
    ).toThrow(/does not match/);
    const { name: _name, ...nameless } = apiKey;
    expect(() =>
      assertMatchesDescription(getKey, {
        statusCode: 200,
        headers: { ...headers, ETag: '"3"' },
        body: JSON.stringify({ apiKey: nameless }),
      }),
    ).toThrow(/does not match/);
  });

  it('refuses an error code the route does not document for that status', () => {
    expect(() =>
      assertMatchesDescription(getKey, {
        statusCode: 404,
        headers,
        body: JSON.stringify({ error: { code: 'version_conflict', message: 'x' } }),
      }),
    ).toThrow(/does not match/);
  });
});
