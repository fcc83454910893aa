import type { AddressInfo } from 'node:net';
import 'vitest';
import type { TestProject } from 'vitest/node';
import { buildConsole, consoleIsStale } from '../../console/build';
import { startDynalite, startSesLocal } from '../../local/engines';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
    sesEndpoint: string;
  }
}

/** One real dynalite and one real aws-ses-v2-local for the whole run; each test file gets its own table. */
export default async function setup(project: TestProject) {
  // Built once here, so the browser tests' `npm start` processes find it fresh and never race to build it.
  if (await consoleIsStale()) await buildConsole();
  const dynamo = await startDynalite({ port: 0 });
  const ses = await startSesLocal({ port: 0 });
  project.provide('dynamoEndpoint', `http://127.0.0.1:${(dynamo.address() as AddressInfo).port}`);
  project.provide('sesEndpoint', `http://127.0.0.1:${(ses.address() as AddressInfo).port}`);
  return async () => {
    await Promise.all([
      new Promise((resolve) => dynamo.close(resolve)),
      new Promise((resolve) => {
        ses.closeAllConnections();
        ses.close(resolve);
      }),
    ]);
  };
}
