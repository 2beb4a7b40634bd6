import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stageConfig } from './config.ts';
import { ConsoleStack } from './stacks/console-stack.ts';
import { DataStack } from './stacks/data-stack.ts';
import { ServiceStack } from './stacks/service-stack.ts';

const REPO = fileURLToPath(new URL('../', import.meta.url));
/** Where `console/build.ts` writes the console by default; `-c consoleDist=<dir>` for another build. */
export const CONSOLE_DIST = 'console/dist';

/**
 * The CDK app: the console's site (bucket, distribution), a stateful stack (tables, bucket, keys,
 * topic) and a stateless one (functions, workflow, API, the console's files), checked by cdk-nag's
 * AwsSolutions rules on every synth.
 */
export function buildApp(app: App = new App()): { app: App; console: ConsoleStack; data: DataStack; service: ServiceStack } {
  // Explicit, as CDK asks: consumers keep producers' exports alive (the CDK default today).
  if (app.node.tryGetContext('@aws-cdk/core:defaultCrossStackReferences') === undefined) {
    app.node.setContext('@aws-cdk/core:defaultCrossStackReferences', 'strong');
  }
  const config = stageConfig((key) => app.node.tryGetContext(key));
  const env = config.account || config.region ? { account: config.account, region: config.region } : undefined;
  const prefix = `LandExpropriation-${config.stage}`;
  const distContext = String(app.node.tryGetContext('consoleDist') ?? CONSOLE_DIST);
  const distDir = isAbsolute(distContext) ? distContext : join(REPO, distContext);
  const consoleStack = new ConsoleStack(app, `${prefix}-Console`, { env, config, description: 'Land expropriation coordination: agency console (bucket, CloudFront)' });
  const data = new DataStack(app, `${prefix}-Data`, {
    env,
    config,
    consoleOrigin: consoleStack.site.origin,
    description: 'Land expropriation coordination: data (tables, evidence, keys, alerts)',
  });
  const service = new ServiceStack(app, `${prefix}-Service`, {
    env,
    config,
    data,
    console: { origin: consoleStack.site.origin, distDir },
    description: 'Land expropriation coordination: services, workflows, API, console files',
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, console: consoleStack, data, service };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  buildApp().app.synth();
}
