import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * The import-boundary rules (.dependency-cruiser.cjs, decision 0007) refuse what they say they
 * refuse: each violation below is planted in a scratch tree shaped like this repository and must be
 * reported by name; the clean files beside them must not be.
 */
const REPO = resolve(import.meta.dirname, '../..');
const scratch = mkdtempSync(join(tmpdir(), 'boundaries-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const files: Record<string, string> = {
  'shared/adapters/table.ts': 'export const table = 1;\n',
  'shared/cases/ports.ts': 'export const port = 1;\n',
  'infra/local/clock.ts': 'export const clock = 1;\n',
  // Violations
  'services/registration/app/use-cases.ts': "import { table } from '../../../shared/adapters/table.ts';\nexport const a = table;\n",
  'services/registration/domain/registration.ts': "import { S3Client } from '@aws-sdk/client-s3';\nexport const b = S3Client;\n",
  'services/compensation/app/plan.ts': "import { b } from '../../registration/domain/registration.ts';\nexport const c = b;\n",
  'shared/deadlines/watch.ts': "import { table } from '../adapters/table.ts';\nexport const d = table;\n",
  'services/notices/handlers/api.ts': "import { clock } from '../../../infra/local/clock.ts';\nexport const e = clock;\n",
  'shared/review.ts': "import middy from '@middy/core';\nexport const h = middy;\n",
  // Allowed: a use case on the kernel's ports; a service's own adapters wiring the kernel's.
  'services/notices/app/use-cases.ts': "import { port } from '../../../shared/cases/ports.ts';\nexport const f = port;\n",
  'services/notices/adapters/deps.ts': "import { table } from '../../../shared/adapters/table.ts';\nexport const g = table;\n",
};

describe('import boundaries', () => {
  it('report each planted violation by rule, and nothing about the allowed imports', () => {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(scratch, path)), { recursive: true });
      writeFileSync(join(scratch, path), text);
    }
    const run = spawnSync(join(REPO, 'node_modules/.bin/depcruise'), ['--config', join(REPO, '.dependency-cruiser.cjs'), '--output-type', 'err-long', 'services', 'shared', 'infra'], {
      cwd: scratch,
      encoding: 'utf8',
    });
    const report = `${run.stdout}\n${run.stderr}`;
    expect(run.status, report).not.toBe(0);
    const violations = [...report.matchAll(/error (\S+): (\S+) → (\S+)/g)].map((m) => `${m[1]} ${m[2]} → ${m[3]}`).sort();
    expect(violations).toEqual(
      [
        'domain-is-pure services/registration/domain/registration.ts → @aws-sdk/client-s3',
        'kernel-is-pure shared/deadlines/watch.ts → shared/adapters/table.ts',
        'kernel-rules-have-no-edge-libraries shared/review.ts → @middy/core',
        'product-never-imports-the-local-cloud services/notices/handlers/api.ts → infra/local/clock.ts',
        'services-meet-in-the-kernel services/compensation/app/plan.ts → services/registration/domain/registration.ts',
        'use-cases-use-ports services/registration/app/use-cases.ts → shared/adapters/table.ts',
      ].sort(),
    );
  });
});
