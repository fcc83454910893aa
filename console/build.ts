import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
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

/**
 * Synchronous on purpose: the CDK construct builds the page while the app is synthesised, and
 * synthesis has no await. It takes a fraction of a second.
 */
export function buildConsoleSync(outDir: string = DEFAULT_OUT_DIR): BuildReport {
  // Build next to the target and swap it in, so a server reading the old build never sees half a new one.
  const staging = `${outDir}.${process.pid}.${Date.now()}.tmp`;
  rmSync(staging, { recursive: true, force: true });
  try {
    const result = esbuild.buildSync({
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
    const template = readFileSync(join(CONSOLE_ROOT, 'index.html'), 'utf8');
    const html = template
      .replace('/assets/main.js', `/assets/${relative(join(staging, 'assets'), script)}`)
      .replace('/assets/main.css', `/assets/${relative(join(staging, 'assets'), style)}`);
    writeFileSync(join(staging, 'index.html'), html);

    const files = [script, style].map((path) => {
      const bytes = readFileSync(path);
      return {
        path: relative(staging, path),
        bytes: bytes.length,
        gzipBytes: gzipSync(bytes, { level: 9 }).length,
      };
    });
    const gzipTotal = files.reduce((sum, file) => sum + file.gzipBytes, 0);
    if (gzipTotal > BUDGET_BYTES) {
      throw new Error(`The console is ${gzipTotal} bytes gzipped, over its budget of ${BUDGET_BYTES}`);
    }
    rmSync(outDir, { recursive: true, force: true });
    mkdirSync(dirname(outDir), { recursive: true });
    renameSync(staging, outDir);
    return { outDir, files, gzipTotal };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** True when there is no build, or a source file changed after it. */
export function consoleIsStale(outDir: string = DEFAULT_OUT_DIR): boolean {
  let built: number;
  try {
    built = statSync(join(outDir, 'index.html')).mtimeMs;
  } catch {
    return true;
  }
  const sources = [join(CONSOLE_ROOT, 'index.html'), join(CONSOLE_ROOT, 'build.ts')];
  for (const entry of readdirSync(CONSOLE_SOURCES, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) sources.push(join(entry.parentPath, entry.name));
  }
  return sources.some((path) => statSync(path).mtimeMs > built);
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
  try {
    console.log(
      formatReport(
        buildConsoleSync(process.argv[2] === undefined ? DEFAULT_OUT_DIR : resolve(process.argv[2])),
      ),
    );
  } catch (error) {
    console.error(`console build failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
