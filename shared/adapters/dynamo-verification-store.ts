import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../domain/errors';
import type {
  MemberGuard,
  MemberRef,
  SendLog,
  VerificationChallenge,
  VerificationStore,
  VerifiedAction,
} from '../domain/ports';
import { isConditionalCheckFailed, writeOrFail } from './dynamo-errors';
import { keyOf } from './table-schema';

const ACTIONS: readonly VerifiedAction[] = ['create', 'rotate', 'duplicate', 'update', 'delete'];

/**
 * Challenges, each member's guard and the account's mailbox guard, as single items written with single conditional writes
 * (no transaction is needed: each rule is one item's condition).
 */
export class DynamoVerificationStore implements VerificationStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async createChallenge(challenge: VerificationChallenge): Promise<void> {
    await writeOrFail(
      this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keyOf.verification(challenge.accountId, challenge.verificationId), ...challenge },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
      () => new ConflictError('That verification id is taken'),
    );
  }

  async getChallenge(accountId: string, verificationId: string): Promise<VerificationChallenge | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keyOf.verification(accountId, verificationId),
        ConsistentRead: true,
      }),
    );
    if (Item === undefined) return undefined;
    const action = ACTIONS.find((a) => a === Item.action);
    if (action === undefined) return undefined;
    return {
      verificationId: String(Item.verificationId),
      accountId: String(Item.accountId),
      userId: String(Item.userId),
      action,
      keyId: typeof Item.keyId === 'string' ? Item.keyId : undefined,
      requestHash: String(Item.requestHash),
      codeHash: String(Item.codeHash),
      pepperVersion: Number(Item.pepperVersion),
      attempts: Number(Item.attempts),
      consumed: Item.consumed === true,
      createdAt: String(Item.createdAt),
      expiresAt: Number(Item.expiresAt),
    };
  }

  async deleteChallenge(accountId: string, verificationId: string): Promise<void> {
    await this.client.send(
      new DeleteCommand({ TableName: this.tableName, Key: keyOf.verification(accountId, verificationId) }),
    );
  }

  async countWrongCode(
    accountId: string,
    verificationId: string,
    maxAttempts: number,
  ): Promise<number | undefined> {
    const attributes = await this.conditionalUpdate({
      Key: keyOf.verification(accountId, verificationId),
      UpdateExpression: 'ADD #attempts :one',
      ConditionExpression: 'attribute_exists(pk) AND #attempts < :max AND #consumed = :false',
      ExpressionAttributeNames: { '#attempts': 'attempts', '#consumed': 'consumed' },
      ExpressionAttributeValues: { ':one': 1, ':max': maxAttempts, ':false': false },
      ReturnValues: 'UPDATED_NEW',
    });
    return attributes === undefined ? undefined : Number(attributes.attempts);
  }

  async consume(
    accountId: string,
    verificationId: string,
    maxAttempts: number,
    nowSeconds: number,
  ): Promise<boolean> {
    const attributes = await this.conditionalUpdate({
      Key: keyOf.verification(accountId, verificationId),
      UpdateExpression: 'SET #consumed = :true',
      ConditionExpression:
        'attribute_exists(pk) AND #consumed = :false AND #attempts < :max AND #expiresAt > :now',
      ExpressionAttributeNames: {
        '#attempts': 'attempts',
        '#consumed': 'consumed',
        '#expiresAt': 'expiresAt',
      },
      ExpressionAttributeValues: { ':true': true, ':false': false, ':max': maxAttempts, ':now': nowSeconds },
    });
    return attributes !== undefined;
  }

  async getMemberGuard(member: MemberRef): Promise<MemberGuard> {
    const item = await this.getItem(keyOf.memberGuard(member.accountId, member.userId));
    return {
      ...toSendLog(item),
      failures: typeof item?.failures === 'number' ? item.failures : 0,
      lastFailureAt: typeof item?.lastFailureAt === 'number' ? item.lastFailureAt : undefined,
    };
  }

  async countFailure(member: MemberRef, cap: number, at: number): Promise<number | undefined> {
    const attributes = await this.conditionalUpdate({
      Key: keyOf.memberGuard(member.accountId, member.userId),
      UpdateExpression: 'SET #failures = if_not_exists(#failures, :zero) + :one, #last = :at',
      ConditionExpression: 'attribute_not_exists(#failures) OR #failures < :cap',
      ExpressionAttributeNames: { '#failures': 'failures', '#last': 'lastFailureAt' },
      ExpressionAttributeValues: { ':zero': 0, ':one': 1, ':at': at, ':cap': cap },
      ReturnValues: 'UPDATED_NEW',
    });
    return attributes === undefined ? undefined : Number(attributes.failures);
  }

  async restartFailures(member: MemberRef, seenLastFailureAt: number): Promise<boolean> {
    const attributes = await this.conditionalUpdate({
      Key: keyOf.memberGuard(member.accountId, member.userId),
      UpdateExpression: 'SET #failures = :zero',
      ConditionExpression: '#last = :seen',
      ExpressionAttributeNames: { '#failures': 'failures', '#last': 'lastFailureAt' },
      ExpressionAttributeValues: { ':zero': 0, ':seen': seenLastFailureAt },
    });
    return attributes !== undefined;
  }

  async resetFailures(member: MemberRef): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keyOf.memberGuard(member.accountId, member.userId),
        UpdateExpression: 'SET #failures = :zero',
        ExpressionAttributeNames: { '#failures': 'failures' },
        ExpressionAttributeValues: { ':zero': 0 },
      }),
    );
  }

  async replaceMemberSends(
    member: MemberRef,
    sends: readonly number[],
    expectedVersion: number,
  ): Promise<boolean> {
    return this.replaceSends(keyOf.memberGuard(member.accountId, member.userId), sends, expectedVersion);
  }

  async getMailboxSends(accountId: string): Promise<SendLog> {
    return toSendLog(await this.getItem(keyOf.mailboxGuard(accountId)));
  }

  async replaceMailboxSends(
    accountId: string,
    sends: readonly number[],
    expectedVersion: number,
  ): Promise<boolean> {
    return this.replaceSends(keyOf.mailboxGuard(accountId), sends, expectedVersion);
  }

  private async replaceSends(
    key: Record<string, string>,
    sends: readonly number[],
    expectedVersion: number,
  ): Promise<boolean> {
    const attributes = await this.conditionalUpdate({
      Key: key,
      UpdateExpression: 'SET #sends = :sends, #version = :next',
      ConditionExpression: expectedVersion === 0 ? 'attribute_not_exists(#version)' : '#version = :expected',
      ExpressionAttributeNames: { '#sends': 'sends', '#version': 'sendsVersion' },
      ExpressionAttributeValues: {
        ':sends': [...sends],
        ':next': expectedVersion + 1,
        ...(expectedVersion === 0 ? {} : { ':expected': expectedVersion }),
      },
    });
    return attributes !== undefined;
  }

  private async getItem(key: Record<string, string>): Promise<Record<string, unknown> | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }),
    );
    return Item;
  }

  /**
   * One conditional UpdateItem; a lost condition is an answer (undefined), not an error. On success,
   * the attributes the update asked for (an empty object when it asked for none).
   */
  private async conditionalUpdate(
    input: Omit<ConstructorParameters<typeof UpdateCommand>[0], 'TableName'>,
  ): Promise<Record<string, unknown> | undefined> {
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({ TableName: this.tableName, ...input }),
      );
      return Attributes ?? {};
    } catch (error) {
      if (isConditionalCheckFailed(error)) return undefined;
      throw error;
    }
  }
}

function toSendLog(item: Record<string, unknown> | undefined): SendLog {
  const sends = Array.isArray(item?.sends)
    ? item.sends.filter((s): s is number => typeof s === 'number')
    : [];
  return {
    sends: sends.sort((a, b) => a - b),
    sendsVersion: typeof item?.sendsVersion === 'number' ? item.sendsVersion : 0,
  };
}
