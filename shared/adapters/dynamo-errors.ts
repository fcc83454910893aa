/** The SDK's error names, matched by name so adapters need not import every exception class. */
export function isConditionalCheckFailed(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

/** One conditional write whose lost condition means a domain error, which `onLost` names. */
export async function writeOrFail(
  write: Promise<unknown>,
  onLost: () => Error | Promise<Error>,
): Promise<void> {
  try {
    await write;
  } catch (error) {
    if (isConditionalCheckFailed(error)) throw await onLost();
    throw error;
  }
}

/** One conditional write whose lost condition is an answer, not an error: true if it wrote. */
export async function writeIfCondition(write: Promise<unknown>): Promise<boolean> {
  try {
    await write;
    return true;
  } catch (error) {
    if (isConditionalCheckFailed(error)) return false;
    throw error;
  }
}

/**
 * A transaction whose first item carries the condition (the change) and whose others (its audit
 * event) are unconditional puts. A lost condition cancels the whole transaction, so the event is not
 * written either, and means the domain error `onLost` names.
 */
export async function transactOrFail(
  write: Promise<unknown>,
  onLost: () => Error | Promise<Error>,
): Promise<void> {
  try {
    await write;
  } catch (error) {
    if (isConditionLostInTransaction(error)) throw await onLost();
    throw error;
  }
}

/** Like writeIfCondition, for a transaction: true if it committed, false if its condition was lost. */
export async function transactIfCondition(write: Promise<unknown>): Promise<boolean> {
  try {
    await write;
    return true;
  } catch (error) {
    if (isConditionLostInTransaction(error)) return false;
    throw error;
  }
}

function isConditionLostInTransaction(error: unknown): boolean {
  if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') return false;
  const reasons: unknown = 'CancellationReasons' in error ? error.CancellationReasons : undefined;
  return (
    Array.isArray(reasons) &&
    reasons.some(
      (reason: unknown) =>
        typeof reason === 'object' &&
        reason !== null &&
        'Code' in reason &&
        reason.Code === 'ConditionalCheckFailed',
    )
  );
}
