import { describe, expect, it } from 'vitest';
import { handler as deleteApiKey } from '../../functions/api-keys/delete-api-key';
import { handler as rotateApiKey } from '../../functions/api-keys/rotate-api-key';
import { seedAccount } from '../support/accounts';
import { invoke, managementEvent } from '../support/events';
import { createKey, type Proof, proofHeaders, requestCode } from '../support/key-lifecycle';
import { capturedOutput } from '../support/log-capture';

/** The request lines written while `work` ran, parsed. */
async function requestLinesOf(work: () => Promise<unknown>): Promise<Record<string, unknown>[]> {
  const before = capturedOutput().length;
  await work();
  return capturedOutput()
    .slice(before)
    .split('\n')
    .filter((line) => line.includes('"message":"request"'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

function keyEvent(
  method: 'POST' | 'DELETE',
  suffix: '' | '/rotate',
  userId: string,
  keyId: string,
  proof: Proof,
) {
  return managementEvent({
    method,
    path: `/v1/api-keys/${keyId}${suffix}`,
    routeKey: `${method} /v1/api-keys/{keyId}${suffix}`,
    userId,
    pathParameters: { keyId },
    headers: proofHeaders(proof),
  });
}

const directive = (name: string, dimensions: string[] = []) => ({
  Namespace: 'Latchkey',
  Dimensions: [dimensions],
  Metrics: [{ Name: name, Unit: 'Count' }],
});

describe('metrics on the management API request line', () => {
  it('count a code sent and the key event on the lines of the requests that did them', async () => {
    const owner = await seedAccount();
    const lines = await requestLinesOf(() => createKey(owner));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({
      route: 'POST /v1/verifications',
      status: 201,
      VerificationCodesSent: 1,
      _aws: { CloudWatchMetrics: [directive('VerificationCodesSent')] },
    });
    expect(lines[1]).toMatchObject({
      route: 'POST /v1/api-keys',
      status: 201,
      KeyEvents: 1,
      Event: 'created',
      _aws: { CloudWatchMetrics: [directive('KeyEvents', ['Event'])] },
    });
    expect(lines[1]).not.toHaveProperty('VerificationCodesSent');
  });

  it('count a refused code, and a rotation and a deletion by their event', async () => {
    const owner = await seedAccount();
    const key = await createKey(owner);
    const keyId = key.apiKey.keyId;
    const rotateProof = await requestCode(owner, { action: 'rotate', keyId });
    const wrong = { ...rotateProof, code: rotateProof.code === '000000' ? '000001' : '000000' };

    const refused = await requestLinesOf(() =>
      invoke(rotateApiKey, keyEvent('POST', '/rotate', owner.ownerId, keyId, wrong)),
    );
    expect(refused).toEqual([
      expect.objectContaining({ status: 403, errorCode: 'verification_failed', VerificationCodesFailed: 1 }),
    ]);

    const rotated = await requestLinesOf(() =>
      invoke(rotateApiKey, keyEvent('POST', '/rotate', owner.ownerId, keyId, rotateProof)),
    );
    expect(rotated).toEqual([expect.objectContaining({ status: 200, KeyEvents: 1, Event: 'rotated' })]);

    const deleteProof = await requestCode(owner, { action: 'delete', keyId });
    const deleted = await requestLinesOf(() =>
      invoke(deleteApiKey, keyEvent('DELETE', '', owner.ownerId, keyId, deleteProof)),
    );
    expect(deleted).toEqual([expect.objectContaining({ status: 204, KeyEvents: 1, Event: 'deleted' })]);
  });

  it('write no metric on a request that counted nothing', async () => {
    const owner = await seedAccount();
    const lines = await requestLinesOf(() =>
      invoke(
        deleteApiKey,
        keyEvent('DELETE', '', owner.ownerId, 'no-such-key', { verificationId: 'x', code: '123456' }),
      ),
    );
    expect(lines).toEqual([expect.objectContaining({ status: 404, errorCode: 'not_found' })]);
    expect(lines[0]).not.toHaveProperty('_aws');
  });
});
