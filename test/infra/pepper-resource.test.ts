import { GenerateDataKeyWithoutPlaintextCommand, KMSClient } from '@aws-sdk/client-kms';
import type {
  CloudFormationCustomResourceCreateEvent,
  CloudFormationCustomResourceDeleteEvent,
  CloudFormationCustomResourceUpdateEvent,
} from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { handler } from '../../functions/pepper/generate-pepper';

// KMS is the one service with no local engine, so it alone is mocked, and every command is asserted.
const kms = mockClient(KMSClient);
const keyArn = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const ciphertext = Uint8Array.from({ length: 184 }, (_, i) => (i * 7 + 3) % 256);
const ciphertextBase64 = Buffer.from(ciphertext).toString('base64');

const common = {
  ServiceToken: 'arn:aws:lambda:eu-west-1:111122223333:function:provider',
  ResponseURL: 'https://cloudformation-custom-resource-response.example/response',
  StackId: 'arn:aws:cloudformation:eu-west-1:111122223333:stack/Latchkey/guid',
  RequestId: 'request-1',
  LogicalResourceId: 'LatchkeyPepperVersion1',
  ResourceType: 'Custom::LatchkeyPepper',
} as const;

function createEvent(version: string): CloudFormationCustomResourceCreateEvent {
  return {
    ...common,
    RequestType: 'Create',
    ResourceProperties: { ServiceToken: common.ServiceToken, KeyId: keyArn, Version: version },
  };
}

beforeEach(() => {
  kms.reset();
  kms.on(GenerateDataKeyWithoutPlaintextCommand).resolves({ CiphertextBlob: ciphertext, KeyId: keyArn });
});

afterAll(() => {
  kms.restore();
});

describe('pepper custom resource', () => {
  it('asks KMS for a 256-bit data key without plaintext, bound to the pepper encryption context', async () => {
    const result = await handler(createEvent('1'));

    const calls = kms.calls();
    expect(calls).toHaveLength(1);
    const command = calls[0]?.args[0];
    expect(command).toBeInstanceOf(GenerateDataKeyWithoutPlaintextCommand);
    expect(command?.input).toEqual({
      KeyId: keyArn,
      KeySpec: 'AES_256',
      EncryptionContext: { purpose: 'latchkey-token-pepper', pepperVersion: '1' },
    });
    expect(result.Data).toEqual({ Ciphertext: ciphertextBase64 });
    expect(result.PhysicalResourceId).toBe(`latchkey-pepper-v1:${ciphertextBase64}`);
  });

  it('binds each version to its own encryption context', async () => {
    await handler(createEvent('3'));
    expect(
      kms.commandCalls(GenerateDataKeyWithoutPlaintextCommand)[0]?.args[0].input.EncryptionContext,
    ).toEqual({
      purpose: 'latchkey-token-pepper',
      pepperVersion: '3',
    });
  });

  it('returns the same ciphertext on an update that does not change the pepper, without calling KMS', async () => {
    const event: CloudFormationCustomResourceUpdateEvent = {
      ...common,
      RequestType: 'Update',
      PhysicalResourceId: `latchkey-pepper-v1:${ciphertextBase64}`,
      ResourceProperties: {
        ServiceToken: 'arn:aws:lambda:eu-west-1:111122223333:function:new',
        KeyId: keyArn,
        Version: '1',
      },
      OldResourceProperties: { ServiceToken: common.ServiceToken, KeyId: keyArn, Version: '1' },
    };
    const result = await handler(event);
    expect(result).toEqual({
      PhysicalResourceId: event.PhysicalResourceId,
      Data: { Ciphertext: ciphertextBase64 },
    });
    expect(kms.calls()).toHaveLength(0);
  });

  it('refuses to change the key or version of an existing pepper', async () => {
    const base = {
      ...common,
      RequestType: 'Update' as const,
      PhysicalResourceId: `latchkey-pepper-v1:${ciphertextBase64}`,
      OldResourceProperties: { ServiceToken: common.ServiceToken, KeyId: keyArn, Version: '1' },
    };
    await expect(
      handler({
        ...base,
        ResourceProperties: { ServiceToken: common.ServiceToken, KeyId: keyArn, Version: '2' },
      }),
    ).rejects.toThrow(/cannot change once created/);
    await expect(
      handler({
        ...base,
        ResourceProperties: { ServiceToken: common.ServiceToken, KeyId: `${keyArn}-other`, Version: '1' },
      }),
    ).rejects.toThrow(/cannot change once created/);
    expect(kms.calls()).toHaveLength(0);
  });

  it('deletes nothing: the ciphertext lives only in configuration and the key is retained', async () => {
    const event: CloudFormationCustomResourceDeleteEvent = {
      ...common,
      RequestType: 'Delete',
      PhysicalResourceId: `latchkey-pepper-v1:${ciphertextBase64}`,
      ResourceProperties: { ServiceToken: common.ServiceToken, KeyId: keyArn, Version: '1' },
    };
    expect(await handler(event)).toEqual({ PhysicalResourceId: event.PhysicalResourceId });
    expect(kms.calls()).toHaveLength(0);
  });

  it('rejects a malformed version rather than minting an unusable pepper', async () => {
    await expect(handler(createEvent('0'))).rejects.toThrow();
    await expect(handler(createEvent('one'))).rejects.toThrow();
    expect(kms.calls()).toHaveLength(0);
  });

  it('fails the deployment when KMS refuses', async () => {
    kms.on(GenerateDataKeyWithoutPlaintextCommand).rejects(new Error('AccessDeniedException'));
    await expect(handler(createEvent('1'))).rejects.toThrow();
  });

  it('logs the request type, never the pepper ciphertext', async () => {
    const { capturedOutput } = await import('../support/log-capture');
    await handler(createEvent('1'));
    expect(capturedOutput()).toContain('pepper resource event');
    expect(capturedOutput()).not.toContain(ciphertextBase64);
  });
});
