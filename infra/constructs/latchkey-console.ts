import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CfnOutput, Duration, Fn, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import type * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { buildConsoleSync } from '../../console/build';
import { CONSOLE_REFERRER_POLICY, consoleContentSecurityPolicy } from '../../console/content-security-policy';

/** The checked-in description (`npm run openapi`), published with the console. */
const OPENAPI_DESCRIPTION = new URL('../../docs/openapi.json', import.meta.url);

/** What the page reads from `/config.json` at start (see console/src/config.ts). */
export interface ConsoleRuntimeConfig {
  /** The OIDC issuer the page discovers its sign-in and token endpoints from. */
  readonly issuer: string;
  /** The public app client the page signs in with (code flow with PKCE, no secret). */
  readonly clientId: string;
  /** Where the identity provider ends its own session, if it keeps one. */
  readonly signOutUrl?: string;
  /** The loopback redirect the issuer allows `latchkey login`, when it allows only one. */
  readonly cliRedirectUri?: string;
}

export interface LatchkeyConsoleProps {
  /** The management API the page calls, same-origin, through the distribution's `/v1/*` behaviour. */
  readonly managementApi: apigwv2.IHttpApi;
  /**
   * Origins the page fetches besides its own: the issuer's discovery document and token endpoint.
   * They go into the Content-Security-Policy's `connect-src`.
   */
  readonly identityOrigins: readonly string[];
  /**
   * The console build to upload; a test or a team with its own build may pass one.
   * @default - built from console/src at synth time (esbuild, held to the console's size budget)
   */
  readonly buildDir?: string;
}

/**
 * The API Keys page, hosted: a private S3 bucket (no public access, TLS only) that only this
 * CloudFront distribution may read, through origin access control. CloudFront serves the page with
 * strict security headers and forwards `/v1/*` to the management API uncached, so the page calls
 * the API on its own origin and needs no CORS. `publish` uploads the build and the runtime
 * `config.json` once the identity settings are known (the app client needs this distribution's URL
 * first, for its callback).
 */
export class LatchkeyConsole extends Construct {
  readonly bucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;
  /** `https://<distribution domain>`, without a trailing slash. */
  readonly url: string;
  private readonly buildDir: string;

  constructor(scope: Construct, id: string, props: LatchkeyConsoleProps) {
    super(scope, id);
    this.buildDir =
      props.buildDir ?? buildConsoleSync(mkdtempSync(join(tmpdir(), 'latchkey-console-'))).outDir;

    this.bucket = new s3.Bucket(this, 'Bucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      // Only the build lives here, and every deploy uploads it again.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'The bucket holds only the public build of a static page; every read goes through CloudFront, ' +
        'and the page’s API calls are logged by the API stage’s access log.',
    });

    const headers = new cloudfront.ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'Latchkey console: CSP without inline script, HSTS, no framing, nosniff, no referrer',
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          contentSecurityPolicy: consoleContentSecurityPolicy(props.identityOrigins),
          override: true,
        },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(365 * 2),
          includeSubdomains: true,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.NO_REFERRER, override: true },
      },
    });
    if (CONSOLE_REFERRER_POLICY !== 'no-referrer') throw new Error('Keep the referrer policies in step');

    const apiDomain = Fn.select(2, Fn.split('/', props.managementApi.apiEndpoint));
    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'Latchkey console: the API Keys page and the management API',
      defaultRootObject: 'index.html',
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: headers,
      },
      additionalBehaviors: {
        '/v1/*': {
          origin: new origins.HttpOrigin(apiDomain, {
            protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
          }),
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
          // Every answer is per user and per request: never cached. The all-viewer policy (without
          // Host, which API Gateway needs to be its own) is what forwards Authorization uncached.
          cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
          originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          responseHeadersPolicy: headers,
        },
      },
    });
    this.url = `https://${this.distribution.distributionDomainName}`;
    Validations.of(this.distribution).acknowledge(
      {
        id: 'AwsSolutions-CFR1',
        reason: 'Account admins may sign in from anywhere; the page is useless without a sign-in.',
      },
      {
        id: 'AwsSolutions-CFR2',
        reason:
          'The management API behind /v1/* has its own throttling and a JWT authorizer; teams that run ' +
          'AWS WAF can attach their web ACL to this distribution.',
      },
      {
        id: 'AwsSolutions-CFR3',
        reason:
          'The static page needs no access log; the API calls it forwards are logged by the API stage’s ' +
          'access log.',
      },
      {
        id: 'AwsSolutions-CFR4',
        reason:
          'The distribution uses the default CloudFront certificate, whose TLS policy cannot be chosen; ' +
          'teams with their own domain set a certificate and TLSv1.2_2021.',
      },
    );
    new CfnOutput(Stack.of(this), 'ConsoleUrl', {
      value: `${this.url}/`,
      description: 'The API Keys page (sign in with the configured issuer)',
    });
  }

  /**
   * Uploads the build, its runtime config.json and the API's OpenAPI description (`/openapi.json`,
   * beside the page that calls the API), and invalidates the entry points.
   */
  publish(config: ConsoleRuntimeConfig): void {
    const runtimeConfig = {
      apiUrl: '',
      issuer: config.issuer,
      clientId: config.clientId,
      scopes: 'openid email',
      ...(config.signOutUrl === undefined ? {} : { signOutUrl: config.signOutUrl }),
      ...(config.cliRedirectUri === undefined ? {} : { cliRedirectUri: config.cliRedirectUri }),
      localMode: false,
    };
    // Content-hashed names: cached for a year, never pruned, so a page still open keeps its files.
    const assets = new s3deploy.BucketDeployment(this, 'Assets', {
      destinationBucket: this.bucket,
      destinationKeyPrefix: 'assets/',
      sources: [s3deploy.Source.asset(join(this.buildDir, 'assets'))],
      cacheControl: [s3deploy.CacheControl.fromString('public, max-age=31536000, immutable')],
      prune: false,
    });
    const entryPoints = new s3deploy.BucketDeployment(this, 'EntryPoints', {
      destinationBucket: this.bucket,
      sources: [
        s3deploy.Source.data('index.html', readFileSync(join(this.buildDir, 'index.html'), 'utf8')),
        s3deploy.Source.jsonData('config.json', runtimeConfig),
        s3deploy.Source.data('openapi.json', readFileSync(OPENAPI_DESCRIPTION, 'utf8')),
      ],
      cacheControl: [s3deploy.CacheControl.noCache()],
      prune: false,
      distribution: this.distribution,
      distributionPaths: ['/', '/index.html', '/config.json', '/openapi.json'],
    });
    // The page must never name files that are not there yet.
    entryPoints.node.addDependency(assets);
    acknowledgeDeploymentHandler(assets, this.bucket);
  }
}

/**
 * BucketDeployment runs one handler per stack that aws-cdk-lib writes and owns (Python, with the
 * AWS CLI inside); its role and runtime are CDK's, not ours, so their findings are acknowledged here.
 */
function acknowledgeDeploymentHandler(deployment: s3deploy.BucketDeployment, bucket: s3.Bucket): void {
  Validations.of(deployment.handlerRole).acknowledge(
    {
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason: 'CDK’s BucketDeployment handler logs through the basic execution role CDK gives it.',
    },
    ...wildcardEvidence(deployment, bucket).map((evidence) => ({
      id: `AwsSolutions-IAM5[${evidence}]`,
      reason:
        'CDK’s BucketDeployment handler copies the build from the CDK asset bucket into the console bucket ' +
        '(object wildcards under those two buckets only) and invalidates the distribution ' +
        '(CloudFront invalidations have no resource-level permissions, hence Resource "*").',
    })),
  );
  const handler = Stack.of(deployment)
    .node.children.filter((child) => child.node.id.startsWith('Custom::CDKBucketDeployment'))
    .map((child) => child.node.defaultChild ?? child);
  for (const resource of handler) {
    Validations.of(resource).acknowledge({
      id: 'AwsSolutions-L1',
      reason: 'The BucketDeployment handler’s Python runtime is chosen and kept current by aws-cdk-lib.',
    });
  }
}

/** What cdk-nag quotes as evidence for the handler's wildcards, as this stack names them. */
function wildcardEvidence(scope: Construct, bucket: s3.Bucket): string[] {
  const stack = Stack.of(scope);
  const bucketResource = bucket.node.defaultChild;
  if (!(bucketResource instanceof s3.CfnBucket)) throw new Error('Unexpected console bucket resource');
  const qualifier = String(stack.node.tryGetContext('@aws-cdk/core:bootstrapQualifier') ?? 'hnb659fds');
  const account = Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account;
  const region = Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region;
  return [
    ...['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:DeleteObject*', 's3:Abort*'].map(
      (a) => `Action::${a}`,
    ),
    `Resource::arn:<AWS::Partition>:s3:::cdk-${qualifier}-assets-${account}-${region}/*`,
    `Resource::<${stack.getLogicalId(bucketResource)}.Arn>/*`,
    'Resource::*',
  ];
}
