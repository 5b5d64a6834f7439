import { buildApp } from '../app.ts';
import { checkWithNag } from '../nag.ts';

// `cdk synth` and `cdk deploy`: the app, checked by cdk-nag (AwsSolutions) as it is synthesized.
const { app } = buildApp();
checkWithNag(app);
app.synth();
