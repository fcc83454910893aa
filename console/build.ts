import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';

/**
 * Builds the console: one JS and one CSS file with content hashes in their names (so CloudFront
 * and browsers may cache them forever), and an index.html naming them. The gzip size of all JS+CSS
 * is reported and held to BUDGET_BYTES: a build over budget fails.
 */
export const CONSOLE_ROOT = dirname(fileURLToPath(import.meta.url));
export const CONSOLE_SOURCES = join(CONSOLE_ROOT, 'src');
export const DEFAULT_OUT_DIR = join(CONSOLE_ROOT, 'dist');
export const BUDGET_BYTES = 60 * 1024;

export interface BuildReport {
  readonly outDir: string;
  readonly files: readonly { readonly path: string; readonly bytes: number; readonly gzipBytes: number }[];
  readonly gzipTotal: number;
}

export async function buildConsole(outDir: string = DEFAULT_OUT_DIR): Promise<BuildReport> {
  // Build next to the target and swap it in, so a server reading the old build never sees half a new one.
  const staging = `${outDir}.${process.pid}.${Date.now()}.tmp`;
  await rm(staging, { recursive: true, force: true });
  try {
    const result = await esbuild.build({
      entryPoints: [join(CONSOLE_SOURCES, 'main.tsx')],
      outdir: join(staging, 'assets'),
      entryNames: '[name]-[hash]',
      bundle: true,
      format: 'esm',
      splitting: false,
      minify: true,
      sourcemap: false,
      target: ['es2022'],
      jsx: 'automatic',
      jsxImportSource: 'preact',
      metafile: true,
      legalComments: 'none',
      logLevel: 'silent',
      tsconfig: join(CONSOLE_ROOT, 'tsconfig.json'),
    });
    const outputs = Object.keys(result.metafile.outputs).map((path) => resolve(path));
    const script = outputs.find((path) => path.endsWith('.js'));
    const style = outputs.find((path) => path.endsWith('.css'));
    if (script === undefined || style === undefined) throw new Error('esbuild produced no JS or no CSS');
    const template = await readFile(join(CONSOLE_ROOT, 'index.html'), 'utf8');
    const html = template
      .replace('/assets/main.js', `/assets/${relative(join(staging, 'assets'), script)}`)
      .replace('/assets/main.css', `/assets/${relative(join(staging, 'assets'), style)}`);
    await writeFile(join(staging, 'index.html'), html);

    const files = await Promise.all(
      [script, style].map(async (path) => {
        const bytes = await readFile(path);
        return {
          path: relative(staging, path),
          bytes: bytes.length,
          gzipBytes: gzipSync(bytes, { level: 9 }).length,
        };
      }),
    );
    const gzipTotal = files.reduce((sum, file) => sum + file.gzipBytes, 0);
    if (gzipTotal > BUDGET_BYTES) {
      throw new Error(`The console is ${gzipTotal} bytes gzipped, over its budget of ${BUDGET_BYTES}`);
    }
    await rm(outDir, { recursive: true, force: true });
    await mkdir(dirname(outDir), { recursive: true });
    await rename(staging, outDir);
    return { outDir, files, gzipTotal };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** True when there is no build, or a source file changed after it. */
export async function consoleIsStale(outDir: string = DEFAULT_OUT_DIR): Promise<boolean> {
  let built: number;
  try {
    built = (await stat(join(outDir, 'index.html'))).mtimeMs;
  } catch {
    return true;
  }
  const sources = [join(CONSOLE_ROOT, 'index.html'), join(CONSOLE_ROOT, 'build.ts')];
  for (const entry of await readdir(CONSOLE_SOURCES, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) sources.push(join(entry.parentPath, entry.name));
  }
  const times = await Promise.all(sources.map(async (path) => (await stat(path)).mtimeMs));
  return times.some((time) => time > built);
}

export function formatReport(report: BuildReport): string {
  const lines = report.files.map(
    (file) =>
      `  ${file.path.padEnd(36)} ${String(file.bytes).padStart(7)} B  ${String(file.gzipBytes).padStart(6)} B gzip`,
  );
  const percent = Math.round((report.gzipTotal / BUDGET_BYTES) * 100);
  return [
    `console built in ${report.outDir}`,
    ...lines,
    `  JS+CSS gzip total ${report.gzipTotal} B of a ${BUDGET_BYTES} B budget (${percent}%)`,
  ].join('\n');
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildConsole(process.argv[2] === undefined ? DEFAULT_OUT_DIR : resolve(process.argv[2])).then(
    (report) => console.log(formatReport(report)),
    (error: unknown) => {
      console.error(`console build failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
