import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../domain/errors';
import type {
  VerificationChallenge,
  VerificationGuard,
  VerificationStore,
  VerifiedAction,
} from '../domain/ports';
import { writeIfCondition, writeOrFail } from './dynamo-errors';
import { keyOf } from './table-schema';

const ACTIONS: readonly VerifiedAction[] = ['create', 'rotate', 'duplicate', 'update', 'delete'];

/**
 * Challenges and the per-account guard, as single items written with single conditional writes
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

  async countWrongCode(accountId: string, verificationId: string, maxAttempts: number): Promise<boolean> {
    return this.conditionalUpdate({
      Key: keyOf.verification(accountId, verificationId),
      UpdateExpression: 'ADD #attempts :one',
      ConditionExpression: 'attribute_exists(pk) AND #attempts < :max AND #consumed = :false',
      ExpressionAttributeNames: { '#attempts': 'attempts', '#consumed': 'consumed' },
      ExpressionAttributeValues: { ':one': 1, ':max': maxAttempts, ':false': false },
    });
  }

  async consume(
    accountId: string,
    verificationId: string,
    maxAttempts: number,
    nowSeconds: number,
  ): Promise<boolean> {
    return this.conditionalUpdate({
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
  }

  async getGuard(accountId: string): Promise<VerificationGuard> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keyOf.verificationGuard(accountId),
        ConsistentRead: true,
      }),
    );
    const sends = Array.isArray(Item?.sends)
      ? Item.sends.filter((s): s is number => typeof s === 'number')
      : [];
    return {
      consecutiveFailures: typeof Item?.consecutiveFailures === 'number' ? Item.consecutiveFailures : 0,
      lockedUntil: typeof Item?.lockedUntil === 'number' ? Item.lockedUntil : undefined,
      sends: sends.sort((a, b) => a - b),
      sendsVersion: typeof Item?.sendsVersion === 'number' ? Item.sendsVersion : 0,
    };
  }

  async countFailure(accountId: string): Promise<number> {
    const { Attributes } = await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keyOf.verificationGuard(accountId),
        UpdateExpression: 'ADD #failures :one',
        ExpressionAttributeNames: { '#failures': 'consecutiveFailures' },
        ExpressionAttributeValues: { ':one': 1 },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Number(Attributes?.consecutiveFailures ?? 0);
  }

  async lock(accountId: string, lockedUntil: number, threshold: number): Promise<boolean> {
    return this.conditionalUpdate({
      Key: keyOf.verificationGuard(accountId),
      UpdateExpression: 'SET #lockedUntil = :until, #failures = :zero',
      ConditionExpression: '#failures >= :threshold',
      ExpressionAttributeNames: { '#lockedUntil': 'lockedUntil', '#failures': 'consecutiveFailures' },
      ExpressionAttributeValues: { ':until': lockedUntil, ':zero': 0, ':threshold': threshold },
    });
  }

  async resetFailures(accountId: string): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keyOf.verificationGuard(accountId),
        UpdateExpression: 'SET #failures = :zero',
        ExpressionAttributeNames: { '#failures': 'consecutiveFailures' },
        ExpressionAttributeValues: { ':zero': 0 },
      }),
    );
  }

  async replaceSends(accountId: string, sends: readonly number[], expectedVersion: number): Promise<boolean> {
    return this.conditionalUpdate({
      Key: keyOf.verificationGuard(accountId),
      UpdateExpression: 'SET #sends = :sends, #version = :next',
      ConditionExpression: expectedVersion === 0 ? 'attribute_not_exists(#version)' : '#version = :expected',
      ExpressionAttributeNames: { '#sends': 'sends', '#version': 'sendsVersion' },
      ExpressionAttributeValues: {
        ':sends': [...sends],
        ':next': expectedVersion + 1,
        ...(expectedVersion === 0 ? {} : { ':expected': expectedVersion }),
      },
    });
  }

  /** One conditional UpdateItem; a lost condition is an answer (false), not an error. */
  private async conditionalUpdate(
    input: Omit<ConstructorParameters<typeof UpdateCommand>[0], 'TableName'>,
  ): Promise<boolean> {
    return writeIfCondition(this.client.send(new UpdateCommand({ TableName: this.tableName, ...input })));
  }
}
