/**
 * How every Latchkey function is bundled and started. LatchkeyFunction hands these to NodejsFunction;
 * `npm run bench` hands the same values to esbuild and to the processes it times, so the bench
 * measures exactly what deploys.
 */
export const FUNCTION_BUNDLING = {
  target: 'node24',
  minify: true,
  /**
   * No source maps. Measured with `npm run bench`: `--enable-source-maps` made the authorizer's cold
   * start (import + first call) about 1.37x a bare handler's against 1.13x without, because Node
   * reads and parses the map at import. Minified stack traces still name the function and file;
   * the handlers log errors with their names and messages, which is what an operator reads.
   */
  sourceMap: false,
  // ESM, because the sources are ESM (jose is ESM-only and top-level await is allowed). The banner
  // gives bundled CommonJS dependencies a working `require` for Node built-ins.
  format: 'esm',
  mainFields: ['module', 'main'],
  /**
   * A deployed function decrypts the pepper with KMS, whatever its environment says: the local key
   * provider serves local mode and the tests, which run the sources, and esbuild drops it from every
   * bundle (shared/wiring/pepper.ts reads this name as a literal for that reason).
   */
  define: { 'process.env.LATCHKEY_KEY_PROVIDER': '"kms"' },
  banner:
    "import { createRequire as __latchkeyCreateRequire } from 'node:module';" +
    'const require = __latchkeyCreateRequire(import.meta.url);',
} as const;

/** The environment every function starts with, before its own settings. */
export const FUNCTION_BASE_ENVIRONMENT: Readonly<Record<string, string>> = {};
