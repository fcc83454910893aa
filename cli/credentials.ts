import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import * as z from 'zod';

/**
 * Saved sign-ins, one per profile, in the user's config directory: `$LATCHKEY_CONFIG_DIR`, else
 * `$XDG_CONFIG_HOME/latchkey` (`~/.config/latchkey`), `~/Library/Application Support/latchkey` on
 * macOS, `%APPDATA%\latchkey` on Windows. The file holds a bearer token, so it is the owner's
 * alone (0600, in a 0700 directory), and it is rewritten whole, never appended to.
 */
export const CREDENTIALS_FILE = 'credentials.json';

const profileSchema = z.object({
  api: z.url(),
  token: z.string().min(1),
  /** Epoch ms when the token stops working, when the issuer said. */
  expiresAt: z.number().optional(),
  /** Who signed in, for `account show` and `login` to say. */
  subject: z.string().optional(),
  issuer: z.string().optional(),
});
export type Profile = z.infer<typeof profileSchema>;

const fileSchema = z.object({ profiles: z.record(z.string(), profileSchema) });

export function configDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.LATCHKEY_CONFIG_DIR !== undefined && env.LATCHKEY_CONFIG_DIR !== '') return env.LATCHKEY_CONFIG_DIR;
  if (platform === 'win32' && env.APPDATA !== undefined) return join(env.APPDATA, 'latchkey');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'latchkey');
  const xdg = env.XDG_CONFIG_HOME;
  return join(xdg !== undefined && xdg !== '' ? xdg : join(homedir(), '.config'), 'latchkey');
}

export class CredentialStore {
  constructor(readonly dir: string) {}

  get file(): string {
    return join(this.dir, CREDENTIALS_FILE);
  }

  async load(profile: string): Promise<Profile | undefined> {
    return (await this.readAll()).profiles[profile];
  }

  async save(profile: string, value: Profile): Promise<void> {
    const all = await this.readAll();
    all.profiles[profile] = value;
    await this.writeAll(all);
  }

  /** True when there was something to forget. */
  async remove(profile: string): Promise<boolean> {
    const all = await this.readAll();
    if (all.profiles[profile] === undefined) return false;
    delete all.profiles[profile];
    if (Object.keys(all.profiles).length === 0) await rm(this.file, { force: true });
    else await this.writeAll(all);
    return true;
  }

  private async readAll(): Promise<z.infer<typeof fileSchema>> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch {
      return { profiles: {} };
    }
    try {
      return fileSchema.parse(JSON.parse(text));
    } catch {
      throw new Error(`${this.file} is not a Latchkey credentials file; remove it and run latchkey login`);
    }
  }

  private async writeAll(all: z.infer<typeof fileSchema>): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    await writeFile(this.file, `${JSON.stringify(all, null, 2)}\n`, { mode: 0o600 });
    // writeFile's mode applies only when it creates the file; an older file is narrowed too.
    await chmod(this.file, 0o600);
  }
}
