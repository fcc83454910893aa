import * as iam from 'aws-cdk-lib/aws-iam';

/**
 * `iam.Grant.addToPrincipal` with a Sid. The Sid keeps CDK from merging the statement with another
 * and names it where people read policies: the IAM console, the tests.
 */
export function grantStatement(sid: string, options: iam.GrantOnPrincipalOptions): iam.Grant {
  const grant = iam.Grant.addToPrincipal(options);
  if (grant.principalStatement !== undefined) grant.principalStatement.sid = sid;
  return grant;
}
