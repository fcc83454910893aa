import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { LocalEngineError } from './engine-error';

export const MINIMUM_JAVA = 17;

const INSTALL_JAVA_HINT =
  'Install a Java runtime 17 or newer (Debian/Ubuntu: `sudo apt-get install openjdk-17-jre-headless`; ' +
  'macOS: `brew install openjdk@17`), or set JAVA_HOME to one';

/** The java to run: JAVA_HOME's when set, else the one on PATH; refused below version 17. */
export async function requireJava(): Promise<string> {
  const home = process.env.JAVA_HOME?.trim();
  const java = home === undefined || home === '' ? 'java' : join(home, 'bin', 'java');
  const version = await new Promise<string>((resolve, reject) => {
    execFile(java, ['-version'], { timeout: 30_000 }, (error, stdout, stderr) => {
      if (error !== null && 'code' in error && error.code === 'ENOENT') {
        reject(
          new LocalEngineError(
            `DynamoDB Local needs Java ${MINIMUM_JAVA}+, and no \`${java}\` was found. ${INSTALL_JAVA_HINT}.`,
          ),
        );
      } else if (error !== null) {
        reject(new LocalEngineError(`\`${java} -version\` failed (${error.message}). ${INSTALL_JAVA_HINT}.`));
      } else {
        resolve(`${stderr}${stdout}`);
      }
    });
  });
  const major = javaMajorVersion(version);
  if (major === undefined || major < MINIMUM_JAVA) {
    throw new LocalEngineError(
      `DynamoDB Local needs Java ${MINIMUM_JAVA}+, and \`${java}\` is ${major === undefined ? 'of an unknown version' : `Java ${major}`}. ${INSTALL_JAVA_HINT}.`,
    );
  }
  return java;
}

/** `version "17.0.15"` -> 17, `version "1.8.0_392"` -> 8. */
export function javaMajorVersion(versionOutput: string): number | undefined {
  const match = /version "(\d+)(?:\.(\d+))?/.exec(versionOutput);
  if (match === null) return undefined;
  const first = Number(match[1]);
  return first === 1 && match[2] !== undefined ? Number(match[2]) : first;
}
