import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { dynamoDocumentClient } from '../../../shared/adapters/aws-clients';
import { keyOf } from '../../../shared/adapters/table-schema';
import { newVerificationId } from '../../../shared/domain/ids';
import type { Clock } from '../../../shared/domain/ports';
import { newVerificationCode, type VerificationProof } from '../../../shared/domain/verification-codes';
import {
  canonicalJson,
  type Intent,
  intentOf,
  requestHash,
  startVerificationSchema,
} from '../../../shared/domain/verification-intents';
import { VERIFICATION_POLICY } from '../../../shared/domain/verification-limits';
import { VerificationService } from '../../../shared/domain/verifications';
import { auditLog } from '../../../shared/wiring/audit';
import { pepperVault } from '../../../shared/wiring/pepper';
import { accountStore, tableName, verificationStore } from '../../../shared/wiring/stores';
import { seedAccount } from '../../support/accounts';
import { rememberSecret } from '../../support/log-capture';

/** A clock the test moves by hand, so "an hour later" takes no time. */
class ManualClock implements Clock {
  constructor(private current: number = Date.now()) {}
  now(): Date {
    return new Date(this.current);
  }
  advance(ms: number): void {
    this.current += ms;
  }
}

/** The real DynamoDB store and the real pepper, with a hand-moved clock. */
function serviceWith(clock: Clock, onMemberLocked?: (member: { userId: string }) => void) {
  return new VerificationService({
    store: verificationStore(),
    hasher: pepperVault(),
    clock,
    onMemberLocked,
    audit: auditLog(),
  });
}

async function guardOf(member: { accountId: string; userId: string }) {
  const { Item } = await dynamoDocumentClient().send(
    new GetCommand({
      TableName: tableName(),
      Key: keyOf.memberGuard(member.accountId, member.userId),
      ConsistentRead: true,
    }),
  );
  return Item;
}

async function outcome(promise: Promise<unknown>): Promise<{ statusCode?: number; code?: string }> {
  return promise.then(
    () => ({ statusCode: 200 }),
    (error: unknown) =>
      typeof error === 'object' && error !== null && 'statusCode' in error && 'code' in error
        ? { statusCode: Number(error.statusCode), code: String(error.code) }
        : { code: String(error) },
  );
}

const deleteIntent = (keyId: string): Intent => ({ action: 'delete', keyId, request: {} });
const KEY_A = '01jaaaaaaaaaaaaaaaaaaaaaaa';

describe('canonical request hash', () => {
  it('is independent of key order and of what normalisation removes', () => {
    const a = intentOf(
      startVerificationSchema.parse({
        action: 'create',
        request: { name: 'x', permissions: ['stores', 'stores', 'sites.list'] },
      }),
    );
    const b = intentOf(
      startVerificationSchema.parse({
        action: 'create',
        request: { permissions: ['sites.list', 'stores'], description: '', name: ' x ' },
      }),
    );
    expect(requestHash(a.request)).toBe(requestHash(b.request));
    expect(canonicalJson({ b: 1, a: [2, { d: undefined, c: 'x' }] })).toBe('{"a":[2,{"c":"x"}],"b":1}');
  });

  it('differs when the permissions, name or description differ', () => {
    const base = intentOf({ action: 'create', request: { name: 'x', permissions: ['stores'] } });
    for (const other of [
      { name: 'x', permissions: ['stores', 'contacts'] },
      { name: 'y', permissions: ['stores'] },
      { name: 'x', description: 'd', permissions: ['stores'] },
    ]) {
      expect(requestHash(intentOf({ action: 'create', request: other }).request)).not.toBe(
        requestHash(base.request),
      );
    }
  });
});

describe('verification codes', () => {
  it('are six digits from the CSPRNG', () => {
    const codes = Array.from({ length: 2000 }, newVerificationCode);
    for (const code of codes) expect(code).toMatch(/^\d{6}$/);
    expect(new Set(codes).size).toBeGreaterThan(1900);
  });

  it('expire after ten minutes by the clock, checked on read', async () => {
    const { account, ownerId } = await seedAccount();
    const actor = { userId: ownerId, accountId: account.accountId, role: 'owner' as const };
    const clock = new ManualClock();
    const service = serviceWith(clock);
    const opened = await service.open(actor, deleteIntent(KEY_A));
    rememberSecret(opened.code);
    expect(opened.expiresAt.getTime() - clock.now().getTime()).toBeLessThanOrEqual(600_000);
    clock.advance(VERIFICATION_POLICY.codeTtlSeconds * 1000 + 1000);
    const proof = { verificationId: opened.verificationId, code: opened.code };
    expect(await outcome(service.confirm(actor, deleteIntent(KEY_A), proof))).toEqual({
      statusCode: 403,
      code: 'verification_expired',
    });
  });
});

/** A second member of the account, as the admin command adds one. */
async function addMember(accountId: string, role: 'owner' | 'admin' = 'admin') {
  const userId = `user-${newVerificationId()}`;
  await accountStore().addMember({ userId, accountId, role, createdAt: new Date().toISOString() });
  return { userId, accountId, role };
}

function wrongFor(code: string, verificationId: string): VerificationProof {
  return { verificationId, code: String((Number(code) + 1) % 1_000_000).padStart(6, '0') };
}

describe('the per-member failure cap', () => {
  it('locks one member for an hour after 100 consecutive failures across challenges, and only that member', async () => {
    const { account, ownerId } = await seedAccount();
    const owner = { userId: ownerId, accountId: account.accountId, role: 'owner' as const };
    const member = await addMember(account.accountId);
    const clock = new ManualClock();
    const locks: string[] = [];
    const service = serviceWith(clock, (locked) => locks.push(locked.userId));

    const first = await service.open(member, deleteIntent(KEY_A));
    rememberSecret(first.code);
    // 60 failures: 5 wrong codes kill the first challenge, then more on it and on unknown ids.
    for (let i = 0; i < 60; i++) {
      const id = i % 2 === 0 ? first.verificationId : newVerificationId();
      expect(
        (await outcome(service.confirm(member, deleteIntent(KEY_A), wrongFor(first.code, id)))).statusCode,
      ).toBe(403);
    }
    expect(await guardOf(member)).toMatchObject({ failures: 60 });

    // A new code does not reset the count.
    const second = await service.open(member, deleteIntent(KEY_A));
    rememberSecret(second.code);
    expect(await guardOf(member)).toMatchObject({ failures: 60 });
    for (let i = 0; i < 39; i++) {
      await outcome(
        service.confirm(member, deleteIntent(KEY_A), wrongFor(first.code, second.verificationId)),
      );
    }
    expect(await guardOf(member)).toMatchObject({ failures: 99 });
    expect(locks).toEqual([]);
    // A live challenge whose right code we hold, opened just before the hundredth failure.
    const third = await service.open(member, deleteIntent(KEY_A));
    rememberSecret(third.code);
    const right = { verificationId: third.verificationId, code: third.code };
    const hundredth = await outcome(
      service.confirm(member, deleteIntent(KEY_A), wrongFor(first.code, second.verificationId)),
    );
    expect(hundredth.statusCode).toBe(403);
    expect(await guardOf(member)).toMatchObject({ failures: 100, lastFailureAt: clock.now().getTime() });
    expect(locks).toEqual([member.userId]);
    // The audit log has the lock once, and a refusal event for the failure that caused it.
    const lockEvents = (await auditLog().list(account.accountId, { type: 'verification.locked', limit: 10 }))
      .items;
    expect(lockEvents.map((e) => [e.member?.userId, e.details?.action, e.details?.keyId])).toEqual([
      [member.userId, 'delete', KEY_A],
    ]);
    const refusals = await auditLog().list(account.accountId, { type: 'verification.failed', limit: 100 });
    expect(refusals.items).toHaveLength(100);
    const beyond = await auditLog().list(account.accountId, {
      type: 'verification.failed',
      limit: 100,
      after: refusals.resumeAfter,
    });
    expect(beyond.items).toEqual([]);

    // Locked: even the right code of a live challenge is refused, and no new code is issued.
    expect(await outcome(service.confirm(member, deleteIntent(KEY_A), right))).toEqual({
      statusCode: 429,
      code: 'member_locked',
    });
    expect(await outcome(service.open(member, deleteIntent(KEY_A)))).toEqual({
      statusCode: 429,
      code: 'member_locked',
    });
    // The cap is never passed: a refused request counts nothing.
    expect(await guardOf(member)).toMatchObject({ failures: 100 });

    // The owner is not affected: a new code, and the right code, both work.
    const ownerCode = await service.open(owner, deleteIntent(KEY_A));
    rememberSecret(ownerCode.code);
    expect(
      await outcome(
        service.confirm(owner, deleteIntent(KEY_A), {
          verificationId: ownerCode.verificationId,
          code: ownerCode.code,
        }),
      ),
    ).toEqual({ statusCode: 200 });

    // Still locked a minute before the hour is up; open again after it.
    clock.advance(59 * 60 * 1000);
    const stillLocked = await service.confirm(member, deleteIntent(KEY_A), right).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(stillLocked).toMatchObject({ code: 'member_locked', retryAfterSeconds: 60 });
    clock.advance(60 * 1000);
    // After the hour a fresh code works again, and a success resets the run.
    const fourth = await service.open(member, deleteIntent(KEY_A));
    rememberSecret(fourth.code);
    expect(
      await outcome(
        service.confirm(member, deleteIntent(KEY_A), {
          verificationId: fourth.verificationId,
          code: fourth.code,
        }),
      ),
    ).toEqual({ statusCode: 200 });
    expect(await guardOf(member)).toMatchObject({ failures: 0 });
  });

  it('never counts past the cap, however many failures race: 160 bogus confirmations, 40 at a time', async () => {
    const { account } = await seedAccount();
    const member = await addMember(account.accountId);
    const service = serviceWith(new ManualClock());
    const results: { statusCode?: number; code?: string }[] = [];
    for (let batch = 0; batch < 4; batch++) {
      results.push(
        ...(await Promise.all(
          Array.from({ length: 40 }, () =>
            outcome(
              service.confirm(member, deleteIntent(KEY_A), {
                verificationId: newVerificationId(),
                code: '000000',
              }),
            ),
          ),
        )),
      );
      expect((await guardOf(member))?.failures).toBeLessThanOrEqual(100);
    }
    expect(results.filter((r) => r.statusCode === 403)).toHaveLength(100);
    expect(results.filter((r) => r.code === 'member_locked')).toHaveLength(60);
    expect(await guardOf(member)).toMatchObject({ failures: 100 });
  });

  it('starts the count again after a success', async () => {
    const { account, ownerId } = await seedAccount();
    const actor = { userId: ownerId, accountId: account.accountId, role: 'owner' as const };
    const service = serviceWith(new ManualClock());
    for (let i = 0; i < 99; i++) {
      await outcome(
        service.confirm(actor, deleteIntent(KEY_A), { verificationId: newVerificationId(), code: '000000' }),
      );
    }
    const opened = await service.open(actor, deleteIntent(KEY_A));
    rememberSecret(opened.code);
    await service.confirm(actor, deleteIntent(KEY_A), {
      verificationId: opened.verificationId,
      code: opened.code,
    });
    await outcome(
      service.confirm(actor, deleteIntent(KEY_A), { verificationId: newVerificationId(), code: '000000' }),
    );
    expect(await guardOf(actor)).toMatchObject({ failures: 1 });
  });
});

describe('why a code was refused', () => {
  it('says wrong (with the tries left), used up, used or expired, each 403', async () => {
    const { account, ownerId } = await seedAccount();
    const actor = { userId: ownerId, accountId: account.accountId, role: 'owner' as const };
    const clock = new ManualClock();
    const service = serviceWith(clock);
    const refusal = (proof: VerificationProof) =>
      service.confirm(actor, deleteIntent(KEY_A), proof).then(
        () => undefined,
        (error: unknown) => error,
      );

    const opened = await service.open(actor, deleteIntent(KEY_A));
    rememberSecret(opened.code);
    for (let left = 4; left >= 0; left--) {
      expect(await refusal(wrongFor(opened.code, opened.verificationId))).toMatchObject({
        statusCode: 403,
        code: 'verification_failed',
        details: { triesLeft: left },
      });
    }
    expect(await refusal({ verificationId: opened.verificationId, code: opened.code })).toMatchObject({
      statusCode: 403,
      code: 'verification_exhausted',
    });

    const used = await service.open(actor, deleteIntent(KEY_A));
    rememberSecret(used.code);
    await service.confirm(actor, deleteIntent(KEY_A), {
      verificationId: used.verificationId,
      code: used.code,
    });
    expect(await refusal({ verificationId: used.verificationId, code: used.code })).toMatchObject({
      statusCode: 403,
      code: 'verification_used',
    });

    const late = await service.open(actor, deleteIntent(KEY_A));
    rememberSecret(late.code);
    clock.advance(VERIFICATION_POLICY.codeTtlSeconds * 1000);
    expect(await refusal({ verificationId: late.verificationId, code: late.code })).toMatchObject({
      statusCode: 403,
      code: 'verification_expired',
    });

    // An unknown id, or a code for another request, tells nothing about any challenge.
    const unknown = await refusal({ verificationId: newVerificationId(), code: '123456' });
    expect(unknown).toMatchObject({ statusCode: 403, code: 'verification_failed' });
    expect((unknown as { details?: unknown }).details).toBeUndefined();
  });

  it("describes a challenge only to the member it was issued to: another member's use is plain verification_failed", async () => {
    const { account, ownerId } = await seedAccount();
    const owner = { userId: ownerId, accountId: account.accountId, role: 'owner' as const };
    const member = await addMember(account.accountId);
    const service = serviceWith(new ManualClock());
    const opened = await service.open(owner, deleteIntent(KEY_A));
    rememberSecret(opened.code);
    await service.confirm(owner, deleteIntent(KEY_A), {
      verificationId: opened.verificationId,
      code: opened.code,
    });
    const error = await service
      .confirm(member, deleteIntent(KEY_A), { verificationId: opened.verificationId, code: opened.code })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toMatchObject({ statusCode: 403, code: 'verification_failed' });
  });
});

describe('the send windows', () => {
  it('slide: a slot frees when the oldest send is 15 minutes old', async () => {
    const { account, ownerId } = await seedAccount();
    const actor = { userId: ownerId, accountId: account.accountId, role: 'owner' as const };
    const clock = new ManualClock();
    const service = serviceWith(clock);
    for (let i = 0; i < 5; i++) {
      rememberSecret((await service.open(actor, deleteIntent(KEY_A))).code);
      clock.advance(60_000);
    }
    // t = 5 min: the first send (t = 0) leaves the window at t = 15 min.
    const refused = await service.open(actor, deleteIntent(KEY_A)).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toMatchObject({ code: 'too_many_codes', retryAfterSeconds: 600 });
    clock.advance(10 * 60_000 + 1);
    rememberSecret((await service.open(actor, deleteIntent(KEY_A))).code);
    expect((await guardOf(actor))?.sends).toHaveLength(5);
  });

  it("count per member: one member's five codes leave another member's five untouched", async () => {
    const { account, ownerId } = await seedAccount();
    const owner = { userId: ownerId, accountId: account.accountId, role: 'owner' as const };
    const member = await addMember(account.accountId);
    const service = serviceWith(new ManualClock());
    for (let i = 0; i < 5; i++) rememberSecret((await service.open(member, deleteIntent(KEY_A))).code);
    expect(await outcome(service.open(member, deleteIntent(KEY_A)))).toEqual({
      statusCode: 429,
      code: 'too_many_codes',
    });
    for (let i = 0; i < 5; i++) rememberSecret((await service.open(owner, deleteIntent(KEY_A))).code);
  });

  it('cap what all non-owner members send to the mailbox at 20 per 15 minutes; owners are outside the cap', async () => {
    const { account, ownerId } = await seedAccount();
    const owner = { userId: ownerId, accountId: account.accountId, role: 'owner' as const };
    const service = serviceWith(new ManualClock());
    const members = await Promise.all(Array.from({ length: 5 }, () => addMember(account.accountId)));
    for (const member of members.slice(0, 4)) {
      for (let i = 0; i < 5; i++) rememberSecret((await service.open(member, deleteIntent(KEY_A))).code);
    }
    const fifth = members[4];
    if (fifth === undefined) throw new Error('five members');
    expect(await outcome(service.open(fifth, deleteIntent(KEY_A)))).toEqual({
      statusCode: 429,
      code: 'mailbox_limit',
    });
    // The owner still gets codes: the ceiling cannot stop a revocation.
    for (let i = 0; i < 5; i++) rememberSecret((await service.open(owner, deleteIntent(KEY_A))).code);
    expect(
      (
        await dynamoDocumentClient().send(
          new GetCommand({
            TableName: tableName(),
            Key: keyOf.mailboxGuard(account.accountId),
            ConsistentRead: true,
          }),
        )
      ).Item?.sends,
    ).toHaveLength(20);
  });

  it('let exactly the allowed number through when many ask at once', async () => {
    const { account, ownerId } = await seedAccount();
    const actor = { userId: ownerId, accountId: account.accountId, role: 'owner' as const };
    const service = serviceWith(new ManualClock());
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        service.open(actor, deleteIntent(KEY_A)).then(
          (opened) => {
            rememberSecret(opened.code);
            return 'sent';
          },
          (error: unknown) =>
            typeof error === 'object' && error !== null && 'code' in error ? error.code : 'other',
        ),
      ),
    );
    expect(results.filter((r) => r === 'sent').length).toBeLessThanOrEqual(5);
    expect(results.every((r) => r === 'sent' || r === 'too_many_codes' || r === 'busy')).toBe(true);
    const sends = (await guardOf(actor))?.sends as number[];
    expect(sends.length).toBe(results.filter((r) => r === 'sent').length);
  });
});
