import openapiTS, { astToString, type OpenAPI3 } from 'openapi-typescript';

/**
 * Turns the description into client/api.d.ts. It lives in a workspace of its own because
 * openapi-typescript builds its output with the TypeScript 5 compiler API, which the project's
 * TypeScript 7 no longer ships.
 */
export async function generateClientTypes(document: object): Promise<string> {
  const ast = await openapiTS(document as OpenAPI3, {
    // Unknown keys stay unknown to callers instead of becoming `any`.
    additionalProperties: false,
    alphabetize: false,
    immutable: false,
  });
  return `// Generated from docs/openapi.json by \`npm run openapi\`. Do not edit.\n\n${astToString(ast)}`;
}
