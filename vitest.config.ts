import { globSync, readFileSync } from 'node:fs';
import { matchesGlob } from 'node:path';
import { defineConfig } from 'vitest/config';
import { AGENCY_NAMES_DEFINE, JURISDICTION_NAMES_DEFINE } from './console/build.ts';

/*
 * Two projects, chosen by where a test file lives:
 * - `unit`: tests beside the application code (shared/, services/, events/) that run in the test
 *   process alone — no global setup: no CDK synth, no DynamoDB Local, no local cloud, no child
 *   processes. `npm run test:unit` runs them in seconds.
 * - `local`: everything under test/ (local clouds, CDK assertions, integration), the local cloud's
 *   own tests under infra/ (servers on ports, the JVM), and CLI tests (`cli.test.ts`,
 *   `*-cli.test.ts`, which spawn scripts). Runs after test/global-setup.ts (synth + one DynamoDB Local).
 * A unit test cannot silently need the global setup: this config refuses to load if a unit file
 * calls `inject(` or imports the local-cloud support, and `startTestCloud` throws without it.
 */
const EXCLUDE = ['node_modules/**', 'cdk.out/**', '.local/**'];
const UNIT = ['shared/**/*.test.ts', 'services/**/*.test.ts', 'events/**/*.test.ts', 'console/src/**/*.test.ts'];
const NOT_UNIT = ['**/cli.test.ts', '**/*-cli.test.ts'];
const NEEDS_GLOBAL_SETUP = /\binject\(|support\/local-cloud\.ts|global-setup\.ts/;

const unitFiles = globSync(UNIT).filter((file) => !NOT_UNIT.some((glob) => matchesGlob(file, glob)));
const misplaced = unitFiles.filter((file) => NEEDS_GLOBAL_SETUP.test(readFileSync(file, 'utf8')));
if (misplaced.length > 0) {
  throw new Error(`These tests need the global setup (local cloud / DynamoDB Local); move them under test/: ${misplaced.join(', ')}`);
}

export default defineConfig({
  // The console's agency names, as console/build.ts compiles them in.
  define: { __AGENCY_NAMES__: AGENCY_NAMES_DEFINE, __JURISDICTION_NAMES__: JURISDICTION_NAMES_DEFINE },
  test: {
    exclude: EXCLUDE,
    // Each test file in its own process: local clouds set the handlers' environment per process.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 180_000,
    projects: [
      { extends: true, test: { name: 'unit', include: UNIT, exclude: [...EXCLUDE, ...NOT_UNIT] } },
      {
        extends: true,
        test: {
          name: 'local',
          // Every other test file: none can fall between the two projects.
          include: ['**/*.test.ts'],
          exclude: [...EXCLUDE, ...unitFiles],
          globalSetup: ['test/global-setup.ts'],
        },
      },
    ],
  },
});
