import { spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startDynamoDbLocal } from '../../local/engines';
import { javaMajorVersion, requireJava } from '../../local/java';
import { PROJECT_ROOT, startLatchkey } from '../../local/server';

/**
 * Starting DynamoDB Local: the Java it needs, named when missing or too old; an old dynalite data
 * dir refused and left untouched; and an engine that goes away with its owner.
 */
const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

/** A JAVA_HOME whose java answers `-version` like the given release. */
async function fakeJavaHome(versionLine: string): Promise<string> {
  const home = await tempDir('latchkey-java-');
  await mkdir(join(home, 'bin'));
  await writeFile(join(home, 'bin', 'java'), `#!/bin/sh\necho '${versionLine}' >&2\n`);
  await chmod(join(home, 'bin', 'java'), 0o755);
  return home;
}

function npmStart(env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    let output = '';
    const child = spawn(join(PROJECT_ROOT, 'node_modules/.bin/tsx'), ['local/server.ts'], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, PORT: '0', LATCHKEY_SES_PORT: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.once('exit', (code) => resolve({ code, output }));
  });
}

describe('the Java DynamoDB Local needs', () => {
  it('reads the major version of old and new version strings', () => {
    expect(javaMajorVersion('openjdk version "17.0.15" 2025-04-15')).toBe(17);
    expect(javaMajorVersion('openjdk version "21" 2023-09-19')).toBe(21);
    expect(javaMajorVersion('java version "1.8.0_392"')).toBe(8);
    expect(javaMajorVersion('no version here')).toBeUndefined();
  });

  it('finds the machine Java when JAVA_HOME is unset', async () => {
    const saved = process.env.JAVA_HOME;
    delete process.env.JAVA_HOME;
    try {
      await expect(requireJava()).resolves.toBe('java');
    } finally {
      if (saved !== undefined) process.env.JAVA_HOME = saved;
    }
  });

  it('npm start without Java stops at once, naming the runtime and how to install it, with no stack trace', async () => {
    const dataDir = await tempDir('latchkey-nojava-');
    const { code, output } = await npmStart({
      JAVA_HOME: join(dataDir, 'no-java-here'),
      LATCHKEY_DATA_DIR: dataDir,
    });
    expect(code).toBe(1);
    expect(output).toContain('DynamoDB Local needs Java 17+');
    expect(output).toContain('apt-get install openjdk-17-jre-headless');
    expect(output).not.toMatch(/^\s+at /m);
  }, 60_000);

  it('refuses a Java older than 17 by its version', async () => {
    const saved = process.env.JAVA_HOME;
    process.env.JAVA_HOME = await fakeJavaHome('java version "11.0.2" 2019-01-15 LTS');
    try {
      await expect(startDynamoDbLocal()).rejects.toThrow(/needs Java 17\+, and `.*java` is Java 11/);
    } finally {
      if (saved === undefined) delete process.env.JAVA_HOME;
      else process.env.JAVA_HOME = saved;
    }
  });
});

describe('a data dir written by dynalite', () => {
  it('is refused with what to do, and nothing in it is changed', async () => {
    const dataDir = await tempDir('latchkey-dynalite-');
    const levelDb = join(dataDir, 'dynamodb');
    await mkdir(levelDb);
    const files = {
      CURRENT: 'MANIFEST-000004\n',
      'MANIFEST-000004': 'manifest',
      '000005.log': 'entries',
      LOCK: '',
    };
    for (const [name, content] of Object.entries(files)) await writeFile(join(levelDb, name), content);

    await expect(startLatchkey({ port: 0, sesPort: 0, dataDir, banner: false })).rejects.toThrow(
      /holds a dynalite database from an earlier Latchkey.*Nothing was changed.*LATCHKEY_DATA_DIR/s,
    );

    expect((await readdir(levelDb)).sort()).toEqual(Object.keys(files).sort());
    for (const [name, content] of Object.entries(files)) {
      expect(await readFile(join(levelDb, name), 'utf8')).toBe(content);
    }
  });
});

describe('an engine', () => {
  it('persists to its folder across restarts and stops with close()', async () => {
    const dbPath = await tempDir('latchkey-ddb-');
    const first = await startDynamoDbLocal({ dbPath });
    const call = (endpoint: string, target: string, body: unknown) =>
      fetch(endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': `DynamoDB_20120810.${target}`,
          authorization:
            'AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
        },
        body: JSON.stringify(body),
      });
    const created = await call(first.endpoint, 'CreateTable', {
      TableName: 'kept',
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    });
    expect(created.status).toBe(200);
    await first.close();
    await expect(fetch(first.endpoint)).rejects.toThrow();

    const second = await startDynamoDbLocal({ dbPath });
    try {
      const listed = await call(second.endpoint, 'ListTables', {});
      expect(await listed.json()).toEqual({ TableNames: ['kept'] });
    } finally {
      await second.close();
    }
  }, 60_000);
});
