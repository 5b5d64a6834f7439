import { App, Tags } from 'aws-cdk-lib';
import { AppStack } from './app-stack.ts';
import { readSettings } from './settings.ts';
import { StatefulStack } from './stateful-stack.ts';

/** Builds the whole app; `cdk synth`, the tests and the local stack all start here. */
export function buildApp(app = new App()) {
  const settings = readSettings(app);
  // The region is part of the design (data stays in Japan), so it is a setting, not whatever the shell has.
  const env = { account: process.env['CDK_DEFAULT_ACCOUNT'], region: settings.region };
  const data = new StatefulStack(app, 'CouncilData', { env, description: '個人情報保護審議会: data (table, key)' });
  const service = new AppStack(app, 'CouncilApp', {
    env,
    table: data.table,
    attachments: data.attachments,
    signingKey: data.signingKey,
    settings,
    description: '個人情報保護審議会: API, functions, workflow',
  });
  Tags.of(app).add('project', 'council-review');
  return { app, data, service };
}
