import {
  type CryptoKey,
  createLocalJWKSet,
  importJWK,
  type JWK,
  type JWTPayload,
  type JWTVerifyGetKey,
  jwtVerify,
  SignJWT,
} from 'jose';
import type { JwtClaims } from '../shared/http/event';

/**
 * The local OIDC issuer: it signs dev tokens with the data dir's ES256 key and checks bearer tokens
 * the way API Gateway's JWT authorizer does (signature against the published JWKS, `iss`, `aud`,
 * `exp`, `nbf`), so the management handlers receive exactly the claims they would in AWS.
 */
export const LOCAL_AUDIENCE = 'latchkey-local';
export const DEV_TOKEN_TTL_SECONDS = 3600;

export class LocalIssuer {
  private readonly publicJwk: JWK;
  private readonly keySet: JWTVerifyGetKey;

  private constructor(
    /** The `iss` claim: `<api url>/local`, whose `/.well-known/jwks.json` the server publishes. */
    readonly issuer: string,
    private readonly privateKey: CryptoKey,
    private readonly kid: string,
    publicJwk: JWK,
  ) {
    this.publicJwk = publicJwk;
    this.keySet = createLocalJWKSet({ keys: [publicJwk] });
  }

  static async create(issuer: string, signingKey: JWK & { kid: string }): Promise<LocalIssuer> {
    const { d: _private, ...rest } = signingKey;
    const publicJwk: JWK = { ...rest, alg: 'ES256', use: 'sig' };
    const privateKey = await importJWK({ ...signingKey, alg: 'ES256' }, 'ES256');
    if (privateKey instanceof Uint8Array) throw new Error('The local signing key must be an EC key');
    return new LocalIssuer(issuer, privateKey, signingKey.kid, publicJwk);
  }

  jwks(): { keys: JWK[] } {
    return { keys: [this.publicJwk] };
  }

  openIdConfiguration(): Record<string, unknown> {
    return {
      issuer: this.issuer,
      jwks_uri: `${this.issuer}/.well-known/jwks.json`,
      // The console's sign-in (./sign-in.ts): the code flow with PKCE for one public client.
      authorization_endpoint: `${this.issuer}/authorize`,
      token_endpoint: `${this.issuer}/token`,
      grant_types_supported: ['authorization_code'],
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['none'],
      scopes_supported: ['openid', 'email'],
      id_token_signing_alg_values_supported: ['ES256'],
      subject_types_supported: ['public'],
      response_types_supported: ['code'],
    };
  }

  async issue(
    subject: string,
    extraClaims: JWTPayload = {},
    ttlSeconds = DEV_TOKEN_TTL_SECONDS,
  ): Promise<string> {
    return new SignJWT(extraClaims)
      .setProtectedHeader({ alg: 'ES256', kid: this.kid, typ: 'JWT' })
      .setSubject(subject)
      .setIssuer(this.issuer)
      .setAudience(LOCAL_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(`${ttlSeconds}s`)
      .sign(this.privateKey);
  }

  /** The claims of a valid token as API Gateway hands them over, or undefined for anything else. */
  async verify(authorization: string | undefined): Promise<JwtClaims | undefined> {
    if (authorization === undefined) return undefined;
    const token = authorization.replace(/^Bearer\s+/i, '').trim();
    if (token === '') return undefined;
    try {
      const { payload } = await jwtVerify(token, this.keySet, {
        issuer: this.issuer,
        audience: LOCAL_AUDIENCE,
        algorithms: ['ES256'],
        requiredClaims: ['sub', 'exp'],
      });
      return toGatewayClaims(payload);
    } catch {
      // Every failure (bad signature, expired, wrong issuer or audience, not a JWT) is the same 401.
      return undefined;
    }
  }
}

/** API Gateway passes JWT claims as strings; lists (such as a multi-valued `aud`) stay lists. */
function toGatewayClaims(payload: JWTPayload): JwtClaims {
  const claims: JwtClaims = {};
  for (const [name, value] of Object.entries(payload)) {
    if (typeof value === 'string') claims[name] = value;
    else if (typeof value === 'number' || typeof value === 'boolean') claims[name] = String(value);
    else if (Array.isArray(value)) claims[name] = value.map(String);
    else if (value !== null && value !== undefined) claims[name] = JSON.stringify(value);
  }
  return claims;
}
