import { describe, expect, it } from 'vitest';
import { handler as updateApiKey } from '../../functions/api-keys/update-api-key';
import { VerificationCodeSender } from '../../shared/domain/code-sender';
import { VerificationService } from '../../shared/domain/verifications';
import { mailer } from '../../shared/wiring/mail';
import { pepperVault } from '../../shared/wiring/pepper';
import { accountStore, keyStore, verificationStore } from '../../shared/wiring/stores';
import { seedAccount } from '../support/accounts';
import { invoke, managementEvent } from '../support/events';
import { latestCodeFor } from '../support/inbox';
import { createKey, type Proof, proofHeaders } from '../support/key-lifecycle';

/**
 * Ten admins edit the same version of a key at once, each with their own valid code. The account's
 * send limit allows five codes per 15 minutes, so the codes here come from a sender whose policy
 * allows ten; everything else (store, mail, the PATCH handler) is the real thing.
 */
const EDITORS = 10;

describe('concurrent edits of one version', () => {
  it('let exactly one PATCH win; the rest lose (409, or 412 if they load late) and the table holds the winner', async () => {
    const owner = await seedAccount();
    const key = await createKey(owner, { name: 'Shared', permissions: ['stores'] });
    const sender = new VerificationCodeSender({
      keys: keyStore(),
      accounts: accountStore(),
      verifications: new VerificationService({
        store: verificationStore(),
        hasher: pepperVault(),
        policy: { maxSends: EDITORS + 1 },
      }),
      mailer: mailer(),
    });
    const actor = { userId: owner.ownerId, accountId: owner.account.accountId, role: 'owner' as const };
    const edits: { patch: { name: string; permissions: string[] }; proof: Proof }[] = [];
    for (let i = 0; i < EDITORS; i++) {
      const patch = { name: `Editor ${i}`, permissions: i % 2 === 0 ? ['contacts'] : ['events'] };
      const { verificationId } = await sender.sendCode(actor, {
        action: 'update',
        keyId: key.apiKey.keyId,
        request: patch,
      });
      edits.push({ patch, proof: { verificationId, code: await latestCodeFor(owner.account.email) } });
    }

    const responses = await Promise.all(
      edits.map(({ patch, proof }) =>
        invoke(
          updateApiKey,
          managementEvent({
            method: 'PATCH',
            path: `/v1/api-keys/${key.apiKey.keyId}`,
            routeKey: 'PATCH /v1/api-keys/{keyId}',
            userId: owner.ownerId,
            pathParameters: { keyId: key.apiKey.keyId },
            body: patch,
            // Every editor read version 1. One that loads the key only after the winner wrote is
            // refused by If-Match (412) instead of editing version 2, so the race is over version 1.
            headers: { ...proofHeaders(proof), 'If-Match': '"1"' },
          }),
        ),
      ),
    );

    const statuses = responses.map((r) => r.statusCode);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    for (const lost of responses.filter((r) => r.statusCode !== 200)) {
      expect([409, 412]).toContain(lost.statusCode);
      expect(lost.json).toMatchObject({
        error: { code: lost.statusCode === 409 ? 'version_conflict' : 'precondition_failed' },
      });
    }
    const winner = edits[statuses.indexOf(200)];
    const stored = await keyStore().get(key.apiKey.keyId);
    expect(stored).toMatchObject({
      name: winner?.patch.name,
      permissions: ['sites.list', ...(winner?.patch.permissions ?? [])],
      version: 2,
    });
    expect(responses[statuses.indexOf(200)]?.json).toMatchObject({ apiKey: { name: winner?.patch.name } });

    // A code spent by an edit that lost its write race stays spent (the loser asks for a new one);
    // an edit refused by If-Match never reached its code, which stays usable.
    for (const [i, response] of responses.entries()) {
      const proof = edits[i]?.proof;
      if (proof === undefined) throw new Error('every response has an edit');
      const challenge = await verificationStore().getChallenge(owner.account.accountId, proof.verificationId);
      expect(challenge?.consumed, `editor ${i}: ${response.statusCode}`).toBe(response.statusCode !== 412);
    }
  });
});
