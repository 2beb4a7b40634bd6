import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { stageConfig } from './config.ts';
import { DataStack } from './stacks/data-stack.ts';
import { ServiceStack } from './stacks/service-stack.ts';

/**
 * The CDK app: a stateful stack (tables, bucket, keys, topic) and a stateless one (functions,
 * workflow, API), checked by cdk-nag's AwsSolutions rules on every synth.
 */
export function buildApp(app: App = new App()): { app: App; data: DataStack; service: ServiceStack } {
  // Explicit, as CDK asks: consumers keep producers' exports alive (the CDK default today).
  if (app.node.tryGetContext('@aws-cdk/core:defaultCrossStackReferences') === undefined) {
    app.node.setContext('@aws-cdk/core:defaultCrossStackReferences', 'strong');
  }
  const config = stageConfig((key) => app.node.tryGetContext(key));
  const env = config.account || config.region ? { account: config.account, region: config.region } : undefined;
  const prefix = `LandExpropriation-${config.stage}`;
  const data = new DataStack(app, `${prefix}-Data`, { env, config, description: 'Land expropriation coordination: data (tables, evidence, keys, alerts)' });
  const service = new ServiceStack(app, `${prefix}-Service`, { env, config, data, description: 'Land expropriation coordination: services, workflows, API' });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, data, service };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  buildApp().app.synth();
}
