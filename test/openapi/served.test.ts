import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningLatchkey } from '../../local/server';
import { OPENAPI_FILE } from '../../openapi/generate';
import { call, startTestStack } from '../local/local-stack';

let stack: RunningLatchkey;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack.close());

describe('local mode', () => {
  it('serves the checked-in description at GET /openapi.json, never cached', async () => {
    const answer = await call(`${stack.url}/openapi.json`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('application/json');
    expect(answer.headers.get('cache-control')).toBe('no-store');
    expect(answer.json).toEqual(JSON.parse(await readFile(OPENAPI_FILE, 'utf8')));
  });
});
