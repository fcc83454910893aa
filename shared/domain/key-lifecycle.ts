import type { Account } from './accounts';
import { type Actor, auditContextOf } from './actors';
import {
  type CreateApiKeyInput,
  type DuplicateApiKeyInput,
  normaliseCreateRequest,
  normaliseDuplicateRequest,
  normaliseRotateRequest,
  normaliseUpdateRequest,
  type RotateApiKeyInput,
  resolveDuplicate,
  type UpdateApiKeyInput,
  withLimits,
} from './api-key-requests';
import type { ApiKeyRecord } from './api-keys';
import { type AuditEvent, AuditEventFactory, type KeyEventType, keySnapshot } from './audit-events';
import { NotFoundError, PreconditionFailedError } from './errors';
import { checkKeyLimits, graceUntil } from './key-policies';
import { loadOwnKey } from './key-reads';
import {
  changeStamp,
  type IssuedKey,
  type KeyFields,
  keyFieldsOf,
  limitFields,
  mintKey,
  publicLimits,
  reissueToken,
  type TokenHasher,
} from './key-records';
import type { AccountStore, Clock, KeyStore } from './ports';
import { systemClock } from './ports';
import type { VerificationProof } from './verification-codes';
import type { VerificationService } from './verifications';

/** Told of every committed key event (security mail, webhook); it never throws. */
export interface KeyEventNotifier {
  notify(event: AuditEvent): Promise<void>;
}

/**
 * Everything an account admin does to API keys. Each change follows one order: the input was
 * validated at the edge, the key is loaded (404, also for another account's key), the code is
 * spent, then one conditional write (409 on a lost race). A code spent by an action that then
 * loses its race stays spent: the caller asks for a new one.
 */
export class KeyLifecycle {
  private readonly keys: KeyStore;
  private readonly accounts: AccountStore;
  private readonly verifications: VerificationService;
  private readonly hasher: TokenHasher;
  private readonly clock: Clock;
  private readonly events: AuditEventFactory;
  private readonly notifier: KeyEventNotifier | undefined;

  constructor(deps: {
    keys: KeyStore;
    accounts: AccountStore;
    verifications: VerificationService;
    hasher: TokenHasher;
    clock?: Clock | undefined;
    events?: AuditEventFactory | undefined;
    notifier?: KeyEventNotifier | undefined;
  }) {
    this.keys = deps.keys;
    this.accounts = deps.accounts;
    this.verifications = deps.verifications;
    this.hasher = deps.hasher;
    this.clock = deps.clock ?? systemClock;
    this.events = deps.events ?? new AuditEventFactory(undefined, () => this.clock.now());
    this.notifier = deps.notifier;
  }

  async createApiKey(actor: Actor, input: CreateApiKeyInput, proof: VerificationProof): Promise<IssuedKey> {
    const request = normaliseCreateRequest(input);
    const account = await this.account(actor);
    checkKeyLimits(request, account, this.clock.now());
    await this.verifications.confirm(actor, { action: 'create', request }, proof);
    return this.issueKey(actor, account, keyFieldsOf(request), 'key.created');
  }

  async duplicateApiKey(
    actor: Actor,
    sourceKeyId: string,
    input: DuplicateApiKeyInput,
    proof: VerificationProof,
  ): Promise<IssuedKey> {
    const source = await loadOwnKey(this.keys, actor, sourceKeyId);
    const request = resolveDuplicate(normaliseDuplicateRequest(input), source);
    const account = await this.account(actor);
    const fields = keyFieldsOf(request);
    checkKeyLimits(publicLimits(fields), account, this.clock.now());
    await this.verifications.confirm(
      actor,
      { action: 'duplicate', keyId: source.keyId, request },
      proof,
      source,
    );
    return this.issueKey(actor, account, fields, 'key.duplicated', { duplicatedFrom: source.keyId });
  }

  /**
   * Same key id, name, description, permissions and limits; a new token. The old token dies at once,
   * or after `gracePeriodSeconds` (never past the key's expiry). Only one previous token is kept, so
   * a second rotation ends an earlier grace period at once.
   */
  async rotateApiKey(
    actor: Actor,
    keyId: string,
    input: RotateApiKeyInput | undefined,
    proof: VerificationProof,
    ifMatch?: number | undefined,
  ): Promise<IssuedKey> {
    const request = normaliseRotateRequest(input);
    const current = await this.loadForChange(actor, keyId, ifMatch);
    await this.verifications.confirm(actor, { action: 'rotate', keyId, request }, proof, current);
    const previousValidUntil = graceUntil(
      this.clock.now(),
      request.gracePeriodSeconds ?? 0,
      current.expiresAt,
    );
    const { record, token } = await reissueToken(this.hasher, current, {
      ...this.change(actor),
      previousValidUntil,
    });
    await this.commit(actor, { type: 'key.rotated', key: record }, (event) =>
      this.keys.replace(record, current.version, event),
    );
    return { record, token };
  }

  async updateApiKey(
    actor: Actor,
    keyId: string,
    input: UpdateApiKeyInput,
    proof: VerificationProof,
    ifMatch?: number | undefined,
  ): Promise<ApiKeyRecord> {
    const patch = normaliseUpdateRequest(input);
    const current = await this.loadForChange(actor, keyId, ifMatch);
    checkKeyLimits(patch, await this.account(actor), this.clock.now());
    await this.verifications.confirm(actor, { action: 'update', keyId, request: patch }, proof, current);
    const record: ApiKeyRecord = {
      ...current,
      name: patch.name ?? current.name,
      description: patch.description ?? current.description,
      permissions: patch.permissions ?? current.permissions,
      ...limitFields(withLimits(current, patch)),
      ...changeStamp(current, this.change(actor)),
    };
    const changes = { before: keySnapshot(current), after: keySnapshot(record) };
    await this.commit(actor, { type: 'key.updated', key: record, changes }, (event) =>
      this.keys.replace(record, current.version, event),
    );
    return record;
  }

  async deleteApiKey(
    actor: Actor,
    keyId: string,
    proof: VerificationProof,
    ifMatch?: number | undefined,
  ): Promise<void> {
    const current = await this.loadForChange(actor, keyId, ifMatch);
    await this.verifications.confirm(actor, { action: 'delete', keyId, request: {} }, proof, current);
    const changes = { before: keySnapshot(current) };
    await this.commit(actor, { type: 'key.deleted', key: current, changes }, (event) =>
      this.keys.delete(actor.accountId, keyId, current.version, event),
    );
  }

  private async loadForChange(
    actor: Actor,
    keyId: string,
    ifMatch: number | undefined,
  ): Promise<ApiKeyRecord> {
    const current = await loadOwnKey(this.keys, actor, keyId);
    // Checked before the code is spent, so a stale page costs the caller no code.
    if (ifMatch !== undefined && ifMatch !== current.version) {
      throw new PreconditionFailedError(
        `The API key is at version ${current.version}, not ${ifMatch}; fetch it again before changing it`,
      );
    }
    return current;
  }

  private async issueKey(
    actor: Actor,
    account: Account,
    fields: KeyFields,
    type: 'key.created' | 'key.duplicated',
    details?: Readonly<Record<string, string>>,
  ): Promise<IssuedKey> {
    const issued = await mintKey(this.hasher, { account, fields, ...this.change(actor) });
    const changes = { after: keySnapshot(issued.record) };
    await this.commit(actor, { type, key: issued.record, changes, details }, (event) =>
      this.keys.create(issued.record, event),
    );
    return issued;
  }

  /**
   * Writes a change and its audit event in one write, then tells the notifier: only a committed
   * change is ever announced.
   */
  private async commit(
    actor: Actor,
    what: {
      type: KeyEventType;
      key: ApiKeyRecord;
      changes?: AuditEvent['changes'];
      details?: AuditEvent['details'];
    },
    write: (event: AuditEvent) => Promise<unknown>,
  ): Promise<void> {
    const event = this.events.build(auditContextOf(actor), { accountId: actor.accountId, ...what });
    await write(event);
    await this.notifier?.notify(event);
  }

  private change(actor: Actor): { by: string; now: Date } {
    return { by: actor.userId, now: this.clock.now() };
  }

  private async account(actor: Actor): Promise<Account> {
    const account = await this.accounts.getAccount(actor.accountId);
    if (account === undefined) throw new NotFoundError('Account not found');
    return account;
  }
}
