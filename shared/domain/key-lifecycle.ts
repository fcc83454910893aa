import type { Account } from './accounts';
import { maskEmail } from './accounts';
import { type Actor, auditContextOf } from './actors';
import {
  type CreateApiKeyInput,
  type DuplicateApiKeyInput,
  type Intent,
  intentOf,
  type KeyLimitsRequest,
  normaliseCreateRequest,
  normaliseDuplicateRequest,
  normaliseRotateRequest,
  normaliseUpdateRequest,
  type RotateApiKeyInput,
  resolveDuplicate,
  type StartVerificationInput,
  type UpdateApiKeyInput,
  withLimits,
} from './api-key-requests';
import { type ApiKeyRecord, type Page, type PublicApiKey, toPublicApiKey } from './api-keys';
import { type AuditEvent, AuditEventFactory, type KeyEventType, keySnapshot } from './audit-events';
import { composeCodeMail } from './code-mail';
import type { CursorSigner } from './cursors';
import { NotFoundError, PreconditionFailedError } from './errors';
import { KEY_ID_PATTERN, newKeyId } from './ids';
import { checkKeyLimits, graceUntil } from './key-policies';
import type { TokenDigest } from './pepper';
import type { AccountStore, Clock, KeyStore, Mailer } from './ports';
import { systemClock } from './ports';
import { generateToken } from './token';
import { CodeDeliveryError, type VerificationProof, type VerificationService } from './verifications';

export interface TokenHasher {
  hashToken(token: string): Promise<TokenDigest>;
}

export interface IssuedKey {
  readonly record: ApiKeyRecord;
  /** Shown once, in this response only. */
  readonly token: string;
}

export const KEY_NOT_FOUND = 'API key not found';

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
    return this.issueKey(
      actor,
      account,
      {
        name: request.name,
        description: request.description,
        permissions: request.permissions,
        ...limitFields(request),
      },
      'key.created',
    );
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
    const limits = limitFields(request);
    checkKeyLimits(publicLimits(limits), account, this.clock.now());
    await this.verifications.confirm(
      actor,
      { action: 'duplicate', keyId: source.keyId, request },
      proof,
      source,
    );
    return this.issueKey(
      actor,
      account,
      {
        name: request.name,
        description: request.description,
        permissions: request.permissions,
        ...limits,
      },
      'key.duplicated',
      { duplicatedFrom: source.keyId },
    );
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
    const token = generateToken(keyId);
    const validUntil = graceUntil(this.clock.now(), request.gracePeriodSeconds ?? 0, current.expiresAt);
    const record: ApiKeyRecord = {
      ...current,
      ...(await this.hasher.hashToken(token)),
      previousToken:
        validUntil === undefined
          ? undefined
          : { tokenHash: current.tokenHash, pepperVersion: current.pepperVersion, validUntil },
      ...this.changeStamp(actor, current),
    };
    const event = this.keyEvent(actor, 'key.rotated', record);
    await this.keys.replace(record, current.version, event);
    await this.notify(event);
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
      ...this.changeStamp(actor, current),
    };
    const event = this.keyEvent(actor, 'key.updated', record, {
      before: keySnapshot(current),
      after: keySnapshot(record),
    });
    await this.keys.replace(record, current.version, event);
    await this.notify(event);
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
    const event = this.keyEvent(actor, 'key.deleted', current, { before: keySnapshot(current) });
    await this.keys.delete(actor.accountId, keyId, current.version, event);
    await this.notify(event);
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
    fields: Pick<ApiKeyRecord, 'name' | 'description' | 'permissions' | LimitField>,
    type: 'key.created' | 'key.duplicated',
    details?: Readonly<Record<string, string>>,
  ): Promise<IssuedKey> {
    const now = this.clock.now();
    const keyId = newKeyId(now);
    const token = generateToken(keyId);
    const record: ApiKeyRecord = {
      keyId,
      accountId: account.accountId,
      name: fields.name,
      description: fields.description,
      permissions: fields.permissions,
      siteIds: account.sites.map((site) => site.siteId),
      allowedSiteIds: fields.allowedSiteIds,
      expiresAt: fields.expiresAt,
      allowedIps: fields.allowedIps,
      ...(await this.hasher.hashToken(token)),
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
      createdBy: actor.userId,
      updatedBy: actor.userId,
      version: 1,
    };
    const event = this.keyEvent(actor, type, record, { after: keySnapshot(record) }, details);
    await this.keys.create(record, event);
    await this.notify(event);
    return { record, token };
  }

  private keyEvent(
    actor: Actor,
    type: KeyEventType,
    key: ApiKeyRecord,
    changes?: AuditEvent['changes'],
    details?: AuditEvent['details'],
  ): AuditEvent {
    return this.events.build(auditContextOf(actor), {
      accountId: actor.accountId,
      type,
      key,
      changes,
      details,
    });
  }

  private async notify(event: AuditEvent): Promise<void> {
    await this.notifier?.notify(event);
  }

  private changeStamp(actor: Actor, current: ApiKeyRecord) {
    return {
      updatedAt: this.clock.now().toISOString(),
      updatedBy: actor.userId,
      version: current.version + 1,
    };
  }

  private async account(actor: Actor): Promise<Account> {
    const account = await this.accounts.getAccount(actor.accountId);
    if (account === undefined) throw new NotFoundError('Account not found');
    return account;
  }
}

type LimitField = 'allowedSiteIds' | 'expiresAt' | 'allowedIps';

/** The record's form: a lifted limit is an absent attribute. */
function limitFields(limits: KeyLimitsRequest): Pick<ApiKeyRecord, LimitField> {
  return {
    expiresAt: limits.expiresAt ?? undefined,
    allowedSiteIds: limits.siteIds ?? undefined,
    allowedIps:
      limits.allowedIps === undefined || limits.allowedIps.length === 0 ? undefined : limits.allowedIps,
  };
}

function publicLimits(fields: Pick<ApiKeyRecord, LimitField>): KeyLimitsRequest {
  return { expiresAt: fields.expiresAt, siteIds: fields.allowedSiteIds, allowedIps: fields.allowedIps };
}

/** The limits a request would leave a key with, checked before a code is sent for it. */
function limitsToCheck(intent: Intent): KeyLimitsRequest {
  // A duplicate's intent already carries the limits resolved against its source.
  return intent.action === 'rotate' || intent.action === 'delete' ? {} : intent.request;
}

/** Newest first, one page; the cursor is signed and opens only on this account's key list. */
export async function listApiKeys(
  keys: KeyStore,
  cursors: CursorSigner,
  actor: Actor,
  options: { limit: number; cursor?: string | undefined },
  now: Date = new Date(),
): Promise<Page<PublicApiKey>> {
  const scope = { accountId: actor.accountId, list: 'api-keys' };
  const after = options.cursor === undefined ? undefined : await cursors.open(options.cursor, scope);
  const page = await keys.listByAccount(actor.accountId, { limit: options.limit, after });
  return {
    items: page.items.map((record) => toPublicApiKey(record, now)),
    nextCursor: page.resumeAfter === undefined ? undefined : await cursors.seal(page.resumeAfter, scope),
  };
}

/** Another account's key is reported exactly like a missing one, so its existence never leaks. */
export async function loadOwnKey(keys: KeyStore, actor: Actor, keyId: string): Promise<ApiKeyRecord> {
  if (!KEY_ID_PATTERN.test(keyId)) throw new NotFoundError(KEY_NOT_FOUND);
  const record = await keys.get(keyId);
  if (record === undefined || record.accountId !== actor.accountId) throw new NotFoundError(KEY_NOT_FOUND);
  return record;
}

export interface SentCode {
  readonly verificationId: string;
  readonly sentTo: string;
  readonly expiresAt: string;
}

/**
 * `POST /v1/verifications`: checks the request is one the action would accept and the key is the
 * caller's, then opens a challenge and emails its code to the account's linked address.
 */
export class VerificationCodeSender {
  private readonly keys: KeyStore;
  private readonly accounts: AccountStore;
  private readonly verifications: VerificationService;
  private readonly mailer: Mailer;
  private readonly clock: Clock;

  constructor(deps: {
    keys: KeyStore;
    accounts: AccountStore;
    verifications: VerificationService;
    mailer: Mailer;
    clock?: Clock | undefined;
  }) {
    this.keys = deps.keys;
    this.accounts = deps.accounts;
    this.verifications = deps.verifications;
    this.mailer = deps.mailer;
    this.clock = deps.clock ?? systemClock;
  }

  async sendCode(actor: Actor, input: StartVerificationInput): Promise<SentCode> {
    const key = input.action === 'create' ? undefined : await loadOwnKey(this.keys, actor, input.keyId);
    const intent = intentOf(input, key);
    const account = await this.accounts.getAccount(actor.accountId);
    if (account === undefined) throw new NotFoundError('Account not found');
    checkKeyLimits(limitsToCheck(intent), account, this.clock.now());

    const opened = await this.verifications.open(actor, intent);
    try {
      const requestedBy = { userId: actor.userId, role: actor.role };
      await this.mailer.send(composeCodeMail({ intent, key, account, requestedBy }, opened));
    } catch (error) {
      // A code nobody received must not stay usable; if even the delete fails, it dies at expiry.
      await this.verifications.withdraw(actor.accountId, opened.verificationId).catch(() => undefined);
      throw new CodeDeliveryError('The verification code could not be sent; try again in a minute', {
        cause: error,
        headers: { 'Retry-After': '60' },
      });
    }
    await this.verifications.recordEvent(actor, 'verification.sent', intent, key);
    return {
      verificationId: opened.verificationId,
      sentTo: maskEmail(account.email),
      expiresAt: opened.expiresAt.toISOString(),
    };
  }
}
