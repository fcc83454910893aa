import type { AddressInfo } from 'node:net';
import 'vitest';
import type { TestProject } from 'vitest/node';
import { buildConsoleSync, consoleIsStale } from '../../console/build';
import { startDynamoDbLocal, startSesLocal } from '../../local/engines';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
    sesEndpoint: string;
  }
}

/**
 * One DynamoDB Local (in memory, in its own JVM) and one aws-ses-v2-local for the whole run; each
 * test file gets its own table.
 */
export default async function setup(project: TestProject) {
  const [dynamo, ses] = await Promise.all([
    startDynamoDbLocal(),
    startSesLocal({ port: 0 }),
    // Built once here, so the browser tests' `npm start` processes find it fresh and never race to build it.
    (async () => {
      if (consoleIsStale()) buildConsoleSync();
    })(),
  ]);
  project.provide('dynamoEndpoint', dynamo.endpoint);
  project.provide('sesEndpoint', `http://127.0.0.1:${(ses.address() as AddressInfo).port}`);
  return async () => {
    await Promise.all([
      dynamo.close(),
      new Promise((resolve) => {
        ses.closeAllConnections();
        ses.close(resolve);
      }),
    ]);
  };
}
