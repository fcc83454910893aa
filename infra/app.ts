import { App } from 'aws-cdk-lib';
import { buildLatchkeyApp } from './stack';

/** `cdk synth` / `cdk deploy` entry (cdk.json: `npx tsx infra/app.ts`). Settings come from context. */
const app = new App();
buildLatchkeyApp(app);
app.synth();
