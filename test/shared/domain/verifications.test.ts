import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { handler as startVerification } from '../../../functions/verifications/start-verification';
import { dynamoDocumentClient } from '../../../shared/adapters/aws-clients';
import { keyOf } from '../../../shared/adapters/table-schema';
import {
  canonicalJson,
  type Intent,
  intentOf,
  requestHash,
  startVerificationSchema,
} from '../../../shared/domain/api-key-requests';
import { newVerificationId } from '../../../shared/domain/ids';
import type { Clock } from '../../../shared/domain/ports';
import {
  newVerificationCode,
  VERIFICATION_POLICY,
  type VerificationProof,
  VerificationService,
} from '../../../shared/domain/verifications';
import { pepperRing, tableName, verificationStore } from '../../../shared/services';
import { seedAccount } from '../../support/accounts';
import { invoke } from '../../support/events';
import { startVerificationEvent } from '../../support/key-lifecycle';
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
function serviceWith(clock: Clock) {
  return new VerificationService({ store: verificationStore(), hasher: pepperRing(), clock });
}

async function guardOf(accountId: string) {
  const { Item } = await dynamoDocumentClient().send(
    new GetCommand({ TableName: tableName(), Key: keyOf.verificationGuard(accountId), ConsistentRead: true }),
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
    const actor = { userId: ownerId, accountId: account.accountId };
    const clock = new ManualClock();
    const service = serviceWith(clock);
    const opened = await service.open(actor, deleteIntent(KEY_A));
    rememberSecret(opened.code);
    expect(opened.expiresAt.getTime() - clock.now().getTime()).toBeLessThanOrEqual(600_000);
    clock.advance(VERIFICATION_POLICY.codeTtlSeconds * 1000 + 1000);
    const proof = { verificationId: opened.verificationId, code: opened.code };
    expect(await outcome(service.confirm(actor, deleteIntent(KEY_A), proof))).toEqual({
      statusCode: 403,
      code: 'verification_failed',
    });
  });
});

describe('the per-account failure cap', () => {
  it('locks sensitive actions and new codes for an hour after 100 consecutive failures across challenges', async () => {
    const { account, ownerId } = await seedAccount();
    const actor = { userId: ownerId, accountId: account.accountId };
    const clock = new ManualClock();
    const service = serviceWith(clock);

    const first = await service.open(actor, deleteIntent(KEY_A));
    rememberSecret(first.code);
    const wrong = (id: string): VerificationProof => ({
      verificationId: id,
      code: String((Number(first.code) + 1) % 1_000_000).padStart(6, '0'),
    });
    // 60 failures: 5 wrong codes kill the first challenge, then more on it and on unknown ids.
    for (let i = 0; i < 60; i++) {
      const id = i % 2 === 0 ? first.verificationId : newVerificationId();
      expect(await outcome(service.confirm(actor, deleteIntent(KEY_A), wrong(id)))).toEqual({
        statusCode: 403,
        code: 'verification_failed',
      });
    }
    expect(await guardOf(account.accountId)).toMatchObject({ consecutiveFailures: 60 });

    // A new code does not reset the count.
    const second = await service.open(actor, deleteIntent(KEY_A));
    rememberSecret(second.code);
    expect(await guardOf(account.accountId)).toMatchObject({ consecutiveFailures: 60 });
    for (let i = 0; i < 39; i++) {
      await outcome(service.confirm(actor, deleteIntent(KEY_A), wrong(second.verificationId)));
    }
    expect(await guardOf(account.accountId)).toMatchObject({ consecutiveFailures: 99 });
    expect((await guardOf(account.accountId))?.lockedUntil).toBeUndefined();
    // A live challenge whose right code we hold, opened just before the hundredth failure.
    const third = await service.open(actor, deleteIntent(KEY_A));
    rememberSecret(third.code);
    const right = { verificationId: third.verificationId, code: third.code };
    await outcome(service.confirm(actor, deleteIntent(KEY_A), wrong(second.verificationId)));
    const guard = await guardOf(account.accountId);
    expect(guard?.lockedUntil).toBe(clock.now().getTime() + 60 * 60 * 1000);

    // Locked: even the right code of a live challenge is refused, and no new code is issued.
    const locked = await outcome(service.confirm(actor, deleteIntent(KEY_A), right));
    expect(locked).toEqual({ statusCode: 429, code: 'account_locked' });
    expect(await outcome(service.open(actor, deleteIntent(KEY_A)))).toEqual({
      statusCode: 429,
      code: 'account_locked',
    });
    // The HTTP route says so too, with Retry-After.
    const response = await invoke(
      startVerification,
      startVerificationEvent(ownerId, { action: 'create', request: { name: 'x', permissions: [] } }),
    );
    expect(response.statusCode).toBe(429);
    expect(response.json).toMatchObject({ error: { code: 'account_locked' } });
    expect(Number(response.headers['Retry-After'])).toBeGreaterThan(3500);
    expect(Number(response.headers['Retry-After'])).toBeLessThanOrEqual(3600);

    // Still locked a minute before the hour is up; open again after it.
    clock.advance(59 * 60 * 1000);
    expect(await outcome(service.confirm(actor, deleteIntent(KEY_A), right))).toMatchObject({
      statusCode: 429,
    });
    clock.advance(60 * 1000);
    // After the hour a fresh code works again, and a success resets the run.
    const fourth = await service.open(actor, deleteIntent(KEY_A));
    rememberSecret(fourth.code);
    expect(
      await outcome(
        service.confirm(actor, deleteIntent(KEY_A), {
          verificationId: fourth.verificationId,
          code: fourth.code,
        }),
      ),
    ).toEqual({ statusCode: 200 });
    expect(await guardOf(account.accountId)).toMatchObject({ consecutiveFailures: 0 });
  });

  it('starts the count again after a success', async () => {
    const { account, ownerId } = await seedAccount();
    const actor = { userId: ownerId, accountId: account.accountId };
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
    const guard = await guardOf(account.accountId);
    expect(guard?.consecutiveFailures).toBe(1);
    expect(guard?.lockedUntil).toBeUndefined();
  });
});

describe('the send window', () => {
  it('slides: a slot frees when the oldest send is 15 minutes old', async () => {
    const { account, ownerId } = await seedAccount();
    const actor = { userId: ownerId, accountId: account.accountId };
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
    expect((await guardOf(account.accountId))?.sends).toHaveLength(5);
  });

  it('lets exactly the allowed number through when many ask at once', async () => {
    const { account, ownerId } = await seedAccount();
    const actor = { userId: ownerId, accountId: account.accountId };
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
    const sends = (await guardOf(account.accountId))?.sends as number[];
    expect(sends.length).toBe(results.filter((r) => r === 'sent').length);
  });
});
