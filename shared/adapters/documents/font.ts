import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The Chinese font every document embeds (pdfkit subsets it to the glyphs used). A Lambda runs an
 * esbuild bundle that cannot carry a 10 MB binary inside the JavaScript, so infra copies the file
 * next to the bundle (ServiceFunction `assets`); run from source (tests, scripts) it is read from
 * node_modules.
 */
export const CHINESE_FONT = {
  file: 'NotoSansSC_400Regular.ttf',
  /** Relative to the repository root: what infra copies into the function's asset. */
  source: 'node_modules/@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf',
} as const;

/** Where the font is: beside the bundle (`index.mjs` in cdk.out / the Lambda), else in node_modules. */
export function chineseFontPath(): string {
  const candidates = [
    new URL(`./${CHINESE_FONT.file}`, import.meta.url),
    new URL(`../../../${CHINESE_FONT.source}`, import.meta.url),
  ].map((url) => fileURLToPath(url));
  const found = candidates.find((path) => existsSync(path));
  if (found === undefined) throw new Error(`The document font ${CHINESE_FONT.file} is in none of: ${candidates.join(', ')}`);
  return found;
}
