import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LocalEngineError } from './engine-error';

/**
 * One running local stack per data dir. Two DynamoDB Local engines on the same files would
 * corrupt them, so a second start is refused before any engine runs, naming the PID that holds the
 * dir. A lock left by a process that died (kill -9, a power cut) is taken over.
 */
export const LOCK_FILE = 'latchkey.pid';

export interface DataDirLock {
  release(): Promise<void>;
}

export async function lockDataDir(dataDir: string): Promise<DataDirLock> {
  const file = join(dataDir, LOCK_FILE);
  for (;;) {
    try {
      await writeFile(file, `${process.pid}\n`, { flag: 'wx' });
      return { release: () => rm(file, { force: true }) };
    } catch (error) {
      if (!(error instanceof Error && 'code' in error && error.code === 'EEXIST')) throw error;
    }
    const holder = Number.parseInt(await readFile(file, 'utf8').catch(() => ''), 10);
    if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isRunning(holder)) {
      throw new LocalEngineError(
        `${dataDir} is in use by a running Latchkey (PID ${holder}): stop it first, or set LATCHKEY_DATA_DIR to another folder`,
      );
    }
    await rm(file, { force: true });
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return error instanceof Error && 'code' in error && error.code === 'EPERM';
  }
}
