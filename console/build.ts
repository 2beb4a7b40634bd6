/**
 * Builds the console: one esbuild bundle of `src/main.tsx` (Preact and the screens) and its CSS,
 * ECharts in a chunk of its own loaded with the first chart, all with content-hashed names, and an
 * `index.html` that loads them. No inline script or style: the CSP
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
    // ECharts loads with the first chart (`components/chart.tsx`); chunks keep the `app-` prefix,
    // which marks the content-hashed files (cached for a year, kept across deployments).
    splitting: true,
    chunkNames: 'app-[name]-[hash]',
    outdir: outDir,
    metafile: true,
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"production"', __AGENCY_NAMES__: AGENCY_NAMES_DEFINE, __JURISDICTION_NAMES__: JURISDICTION_NAMES_DEFINE },
  });
  const outputs = Object.keys(result.metafile.outputs).map((file) => relative(outDir, file));
  const entry = Object.entries(result.metafile.outputs).find(([file, output]) => output.entryPoint && file.endsWith('.js'));
  const script = entry && relative(outDir, entry[0]);
  const style = entry?.[1].cssBundle && relative(outDir, entry[1].cssBundle);
  if (!script || !style) throw new Error(`console build produced ${outputs.join(', ')}: expected an entry script with its stylesheet`);
  const template = await readFile(join(SOURCE_DIR, 'index.html'), 'utf8');
  // The chunks the entry imports statically are fetched beside it, not after it has been parsed.
  const preloads = entry[1].imports.filter((i) => i.kind === 'import-statement').map((i) => `<link rel="modulepreload" href="${relative(outDir, i.path)}">`);
  const html = template.replace('%STYLE%', style).replace('%PRELOADS%', preloads.join('\n')).replace('%SCRIPT%', script);
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
