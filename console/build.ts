/**
 * Builds the console: one esbuild bundle of `src/main.tsx` (Preact, ECharts) and its CSS, with
 * content-hashed names, and an `index.html` that loads them. No inline script or style: the CSP
 * forbids both. `config.json` is not built: whoever serves the console writes it (the local cloud
 * from its own addresses, the CDK app from the deployed API and issuer).
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { AGENCIES, JURISDICTIONS } from '../shared/agencies.ts';

/** The agencies' Chinese names, compiled into the console (console/src/agencies.ts). */
export const AGENCY_NAMES_DEFINE = JSON.stringify(Object.fromEntries(Object.entries(AGENCIES).map(([id, agency]) => [id, agency.nameZh])));
/** The jurisdictions' Chinese names, likewise. */
export const JURISDICTION_NAMES_DEFINE = JSON.stringify(Object.fromEntries(JURISDICTIONS.map((j) => [j.id, j.nameZh])));

export const CONSOLE_DIR = dirname(fileURLToPath(import.meta.url));
export const DEFAULT_OUT_DIR = join(CONSOLE_DIR, 'dist');
const SOURCE_DIR = join(CONSOLE_DIR, 'src');

export interface ConsoleBuild {
  outDir: string;
  /** Paths relative to `outDir`. */
  files: string[];
}

export async function buildConsole(options: { outDir?: string; minify?: boolean } = {}): Promise<ConsoleBuild> {
  const outDir = options.outDir ?? DEFAULT_OUT_DIR;
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  const result = await build({
    entryPoints: { app: join(SOURCE_DIR, 'main.tsx') },
    bundle: true,
    format: 'esm',
    target: ['chrome120', 'firefox120', 'safari16'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    minify: options.minify ?? true,
    sourcemap: false,
    legalComments: 'none',
    entryNames: '[name]-[hash]',
    outdir: outDir,
    metafile: true,
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"production"', __AGENCY_NAMES__: AGENCY_NAMES_DEFINE, __JURISDICTION_NAMES__: JURISDICTION_NAMES_DEFINE },
  });
  const outputs = Object.keys(result.metafile.outputs).map((file) => relative(outDir, file));
  const script = outputs.find((f) => f.endsWith('.js'));
  const style = outputs.find((f) => f.endsWith('.css'));
  if (!script || !style) throw new Error(`console build produced ${outputs.join(', ')}: expected one .js and one .css`);
  const template = await readFile(join(SOURCE_DIR, 'index.html'), 'utf8');
  const html = template.replace('%STYLE%', style).replace('%SCRIPT%', script);
  await writeFile(join(outDir, 'index.html'), html);
  return { outDir, files: ['index.html', ...outputs] };
}

/** A fingerprint of the console's sources: `npm start` rebuilds only when it changes. */
export async function sourceFingerprint(): Promise<string> {
  const hash = createHash('sha256');
  const walk = async (dir: string): Promise<void> => {
    for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else hash.update(relative(CONSOLE_DIR, path)).update(await readFile(path));
    }
  };
  await walk(SOURCE_DIR);
  hash.update(await readFile(fileURLToPath(import.meta.url)));
  return hash.digest('hex');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { outDir, files } = await buildConsole();
  console.log(`console built in ${relative(process.cwd(), outDir) || '.'}: ${files.join(', ')}`);
}
