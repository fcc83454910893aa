import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../local/server';
import { ERROR_CODES } from '../../openapi/error-codes';
import { CLIENT_TYPES_FILE, clientTypesText, OPENAPI_FILE, openApiText } from '../../openapi/generate';
import { ROUTES, routeKey } from '../../shared/routes';

const STALE = 'is stale: run `npm run openapi` and commit the result';

describe('docs/openapi.json', () => {
  it('is what the route table and the route contracts generate today', async () => {
    const checkedIn = await readFile(OPENAPI_FILE, 'utf8');
    expect(checkedIn === openApiText(), `docs/openapi.json ${STALE}`).toBe(true);
  });

  it("matches the OpenAPI 3.1 specification's schema", async () => {
    const validator = new Validator();
    const result = await validator.validate(JSON.parse(await readFile(OPENAPI_FILE, 'utf8')));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('describes every route of the route table, and nothing else', async () => {
    const document = JSON.parse(await readFile(OPENAPI_FILE, 'utf8')) as {
      paths: Record<string, Record<string, { security: Record<string, string[]>[] }>>;
    };
    const described = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(described.sort()).toEqual(ROUTES.map(routeKey).sort());
    for (const route of ROUTES) {
      const security = document.paths[route.path]?.[route.method.toLowerCase()]?.security;
      expect(security, routeKey(route)).toEqual(
        route.auth.kind === 'jwt'
          ? [{ userJwt: [] }]
          : route.auth.kind === 'signature'
            ? [{ reporterSignature: [] }]
            : [{ apiKey: [], accountId: [] }],
      );
    }
  });

  it('client/api.d.ts is what openapi-typescript makes of it', async () => {
    const checkedIn = await readFile(CLIENT_TYPES_FILE, 'utf8');
    expect(checkedIn === (await clientTypesText()), `client/api.d.ts ${STALE}`).toBe(true);
  });
});

describe('docs/api.md agrees with the description', () => {
  it('links to docs/openapi.json', async () => {
    const guide = await readFile(join(PROJECT_ROOT, 'docs/api.md'), 'utf8');
    expect(guide).toContain('(openapi.json)');
  });

  it('lists every error code with the status the description gives it, and no other', async () => {
    const guide = await readFile(join(PROJECT_ROOT, 'docs/api.md'), 'utf8');
    const table = guide.slice(guide.indexOf('## Error codes'));
    const rows = [...table.matchAll(/^\|\s*(\d{3})\s*\|\s*`([a-z_]+)`\s*\|/gm)].map((m) => [
      m[2],
      Number(m[1]),
    ]);
    expect(Object.fromEntries(rows)).toEqual(
      Object.fromEntries(Object.entries(ERROR_CODES).map(([code, { status }]) => [code, status])),
    );
  });

  it('has a section for every management route and names no route the table lacks', async () => {
    const guide = await readFile(join(PROJECT_ROOT, 'docs/api.md'), 'utf8');
    const headings = [...guide.matchAll(/^### `(GET|POST|PUT|PATCH|DELETE) ([^`?]+)(?:\?[^`]*)?`/gm)].map(
      (m) => `${m[1]} ${m[2]}`,
    );
    const management = ROUTES.filter((r) => r.api === 'management').map(routeKey);
    expect(new Set(headings)).toEqual(new Set(management));
  });
});
