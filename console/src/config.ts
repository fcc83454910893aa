/**
 * The runtime settings the page reads from `/config.json` before anything else: written by the
 * local server in local mode and by the stack's BucketDeployment when deployed, so one build serves
 * every environment.
 */
export interface ConsoleConfig {
  /** Base URL of the management API; '' when it is served from the page's own origin. */
  readonly apiUrl: string;
  /** The OIDC issuer (its discovery document lives under it). */
  readonly issuer: string;
  /** The public app client (no secret: the code flow is protected by PKCE). */
  readonly clientId: string;
  /** OAuth scopes to ask for. */
  readonly scopes: string;
  /** Where the issuer ends its own session on sign-out, if it keeps one (Cognito's hosted UI does). */
  readonly signOutUrl?: string | undefined;
  /** True only for `npm start`: shows the Local mode badge and the Inbox. */
  readonly localMode: boolean;
}

export async function loadConfig(): Promise<ConsoleConfig> {
  const response = await fetch('/config.json', { cache: 'no-store' });
  if (!response.ok) throw new Error(`config.json answered ${response.status}`);
  const raw: unknown = await response.json();
  return parseConfig(raw);
}

function parseConfig(raw: unknown): ConsoleConfig {
  if (typeof raw !== 'object' || raw === null) throw new Error('config.json is not an object');
  const fields: Record<string, unknown> = Object.fromEntries(Object.entries(raw));
  const text = (name: string, fallback?: string): string => {
    const value = fields[name];
    if (typeof value === 'string') return value;
    if (fallback !== undefined) return fallback;
    throw new Error(`config.json: ${name} must be a string`);
  };
  const signOutUrl = text('signOutUrl', '');
  return {
    apiUrl: text('apiUrl', '').replace(/\/+$/, ''),
    issuer: text('issuer'),
    clientId: text('clientId'),
    scopes: text('scopes', 'openid email'),
    signOutUrl: signOutUrl === '' ? undefined : signOutUrl,
    localMode: fields.localMode === true,
  };
}
