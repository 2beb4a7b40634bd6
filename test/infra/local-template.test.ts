import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CDK_OUT } from '../../infra/local/synth.ts';
import { readBlueprint } from '../../infra/local/template.ts';

/**
 * The local cloud reads the synthesized app (global setup): the console's stack and CDK's
 * deployment-time handler for its files must leave the blueprint to the system's own resources.
 */
describe('local cloud blueprint of the synthesized app', () => {
  const blueprint = readBlueprint(CDK_OUT);

  it('runs the 14 Node.js functions, each from its bundle, and not the BucketDeployment handler (Python)', () => {
    expect(blueprint.functions).toHaveLength(14);
    for (const fn of blueprint.functions) expect(existsSync(fn.bundle), fn.logicalId).toBe(true);
    expect(blueprint.functions.some((fn) => fn.logicalId.startsWith('CustomCDKBucketDeployment'))).toBe(false);
  });

  it('reads the three stacks producers first: the data stack imports the distribution\'s domain from the console stack', () => {
    const names = blueprint.buckets.map((bucket) => bucket.name);
    expect(names).toContain('land-exprop-evidence-dev-000000000000-us-east-1');
    // The console bucket is modelled (an empty local bucket, harmless); the evidence bucket keeps its Object Lock.
    expect(names).toContain('land-exprop-console-dev-000000000000-us-east-1');
    expect(blueprint.buckets.find((bucket) => bucket.name.startsWith('land-exprop-evidence-'))?.objectLock).toBeDefined();
    expect(blueprint.buckets.find((bucket) => bucket.name.startsWith('land-exprop-console-'))?.objectLock).toBeUndefined();
  });
});
