import { stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { FUNCTION_BUNDLING } from '../infra/constructs/function-bundling';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Bundles one handler file with the settings LatchkeyFunction deploys with (FUNCTION_BUNDLING), so
 * the bytes and the code timed are the deployed ones. Returns the bundle's size in bytes.
 */
export async function bundleFunction(entry: string, outfile: string, sourcemap: boolean): Promise<number> {
  await build({
    entryPoints: [join(ROOT, entry)],
    outfile,
    bundle: true,
    platform: 'node',
    target: FUNCTION_BUNDLING.target,
    minify: FUNCTION_BUNDLING.minify,
    sourcemap,
    sourcesContent: false,
    format: FUNCTION_BUNDLING.format,
    mainFields: [...FUNCTION_BUNDLING.mainFields],
    define: { ...FUNCTION_BUNDLING.define },
    banner: { js: FUNCTION_BUNDLING.banner },
    logLevel: 'error',
  });
  return (await stat(outfile)).size;
}

/** The runner (runner.ts) as plain JavaScript, so the timed processes load no TypeScript loader. */
export async function bundleRunner(outfile: string): Promise<void> {
  await build({
    entryPoints: [join(ROOT, 'bench/runner.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    logLevel: 'error',
  });
}

export const kb = (bytes: number) => Number((bytes / 1024).toFixed(1));
