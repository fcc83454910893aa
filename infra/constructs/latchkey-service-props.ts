import type { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { LatchkeyOidcIssuer } from './latchkey-management-api';

/** The settings of LatchkeyService (`cdk deploy -c name=value` sets them through servicePropsFromContext). */
export interface LatchkeyServiceProps {
  /** The address verification codes are sent from. SES must verify it (or its domain). */
  readonly fromAddress: string;
  /** @default 'Latchkey' */
  readonly fromName?: string;
  /**
   * The SES identity to send as: the from-address itself, or its domain when the domain is already
   * verified in this account (then no identity is created here).
   * @default - the from-address, created as an SES email identity by this construct
   */
  readonly sesIdentity?: string;
  /**
   * Who signs in to the management API.
   * @default - a new Cognito user pool (admin-created users, MFA required) and app client
   */
  readonly oidc?: LatchkeyOidcIssuer;
  /**
   * Browser origins allowed to call the management API (for a web console).
   * @default - no CORS
   */
  readonly corsAllowOrigins?: readonly string[];
  /**
   * Host the API Keys page (console/): a private bucket behind CloudFront, which also forwards
   * `/v1/*` to the management API. With the default user pool, the app client then allows the
   * code flow with PKCE back to the page, and a Cognito domain serves the hosted sign-in. With
   * `oidc`, the page signs in with the first `audience` entry as its public client id.
   * @default true
   */
  readonly console?: boolean;
  /**
   * The Cognito domain prefix of the hosted sign-in (`<prefix>.auth.<region>.amazoncognito.com`),
   * unique across AWS. Only with the default user pool and the console.
   * @default - `latchkey-` and the stack's unique id
   */
  readonly cognitoDomainPrefix?: string;
  /** Steady-state requests per second per stage. @default 50 */
  readonly throttleRateLimit?: number;
  /** @default 100 */
  readonly throttleBurstLimit?: number;
  /** See LatchkeyPepperProps.versions. @default [1] */
  readonly pepperVersions?: readonly number[];
  /** See LatchkeyAuthorizerProps.resultsCacheTtl. @default Duration.seconds(0) */
  readonly authorizerCacheTtl?: Duration;
  /** Log retention for functions and API access logs. @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Deploy the sample protected API (the `protected` routes of shared/routes.ts) behind the authorizer.
   * @default true
   */
  readonly sampleProtectedApi?: boolean;
  /**
   * The public keys whose signed leaked-token reports `POST /v1/token-leaks` accepts: the JSON GitHub
   * publishes for secret scanning (`[{key_identifier, key, is_current}]`, or its `{public_keys}`
   * document as it is).
   * @default - none: every report is refused with 401
   */
  readonly leakReporterKeys?: string;
  /** How long audit events are kept before the table's TTL removes them. @default Duration.days(365) */
  readonly auditRetention?: Duration;
  /**
   * What happens to data on stack deletion: the table, both KMS keys and the user pool.
   * @default RemovalPolicy.RETAIN
   */
  readonly dataRemovalPolicy?: RemovalPolicy;
  /** X-Ray on the authorizer (see LatchkeyAuthorizerProps.tracing). @default false */
  readonly authorizerTracing?: boolean;
  /**
   * Lambda's application log level for every function.
   * @default lambda.ApplicationLogLevel.INFO
   */
  readonly logLevel?: lambda.ApplicationLogLevel;
  /**
   * Per-function overrides of `logLevel`, by route id (as in shared/routes.ts) or `authorizer`.
   * @default - none
   */
  readonly functionLogLevels?: Readonly<Record<string, lambda.ApplicationLogLevel>>;
  /** The CloudWatch namespace of Latchkey's embedded metrics. @default 'Latchkey' */
  readonly metricsNamespace?: string;
}
