/**
 * The console's security headers, written once for the local server and for CloudFront's response
 * headers policy. Scripts and styles come only from the console's own origin (no inline script, no
 * eval); `connect-src` adds the identity provider's origins for discovery and the token endpoint.
 */
export function consoleContentSecurityPolicy(connectSources: readonly string[] = []): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src ${["'self'", ...connectSources].join(' ')}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "object-src 'none'",
  ].join('; ');
}

/** Where a page's address may leak: nowhere, since the sign-in callback briefly carries a code. */
export const CONSOLE_REFERRER_POLICY = 'no-referrer';
