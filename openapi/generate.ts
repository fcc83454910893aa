import { writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateClientTypes } from '../client/codegen/generate-types';
import { executedDirectly } from '../local/executed-directly';
import { buildOpenApiDocument } from './document';

/** `npm run openapi`: writes docs/openapi.json and the typed client's client/api.d.ts from them. */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const OPENAPI_FILE = join(ROOT, 'docs/openapi.json');
export const CLIENT_TYPES_FILE = join(ROOT, 'client/api.d.ts');

export function openApiText(): string {
  return `${JSON.stringify(buildOpenApiDocument(), null, 2)}\n`;
}

export async function clientTypesText(): Promise<string> {
  return generateClientTypes(buildOpenApiDocument());
}

if (executedDirectly(import.meta.url)) {
  await writeFile(OPENAPI_FILE, openApiText());
  await writeFile(CLIENT_TYPES_FILE, await clientTypesText());
  console.log('wrote docs/openapi.json and client/api.d.ts');
}
