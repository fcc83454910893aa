import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { buildLatchkeyApp } from '../../infra/stack';

/**
 * CloudFormation replaces a resource whose logical id changes. For these that means lost data (the
 * table, its key, the pepper key), a user pool with no users, a new app client id, a new API URL, a
 * second `$default` stage that fails the update, or an identity to verify again. So moving a
 * resource into another construct must keep its id; these are the ids deployed stacks have.
 */
const STATEFUL_IDS = {
  LatchkeyTableD17D6363: 'AWS::DynamoDB::Table',
  LatchkeyTableKey282DC497: 'AWS::KMS::Key',
  LatchkeyPepperKey647C7990: 'AWS::KMS::Key',
  LatchkeyUserPool2E77DD84: 'AWS::Cognito::UserPool',
  LatchkeyUserPoolConsoleClient2E5AA5B3: 'AWS::Cognito::UserPoolClient',
  LatchkeyUserPoolSignInDomain09E8CE01: 'AWS::Cognito::UserPoolDomain',
  LatchkeyManagementApi3FD29ABE: 'AWS::ApiGatewayV2::Api',
  LatchkeyManagementStage001294B3: 'AWS::ApiGatewayV2::Stage',
  LatchkeyProtectedApiD47B011F: 'AWS::ApiGatewayV2::Api',
  LatchkeyProtectedStage86744937: 'AWS::ApiGatewayV2::Stage',
  LatchkeyMailConfigurationSet61A05A51: 'AWS::SES::ConfigurationSet',
  LatchkeyMailIdentity9D44BA39: 'AWS::SES::EmailIdentity',
  LatchkeyConsoleBucket38F7C451: 'AWS::S3::Bucket',
  LatchkeyConsoleDistribution1F313F70: 'AWS::CloudFront::Distribution',
} as const;

describe('the stack’s stateful resources', () => {
  it('keep the logical ids deployed stacks have, so an update replaces none of them', () => {
    const app = new App({
      context: { fromAddress: 'no-reply@latchkey.example', 'aws:cdk:bundling-stacks': [] },
    });
    const resources = (
      Template.fromStack(buildLatchkeyApp(app)).toJSON() as { Resources: Record<string, { Type: string }> }
    ).Resources;
    for (const [id, type] of Object.entries(STATEFUL_IDS)) {
      expect(resources[id]?.Type, id).toBe(type);
    }
    // The management API keeps its name too (a rename is an in-place update, but a visible one).
    expect(
      (resources.LatchkeyManagementApi3FD29ABE as unknown as { Properties: { Name: string } }).Properties
        .Name,
    ).toBe('ManagementApi');
  });
});
