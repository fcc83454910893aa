/** The SDK's error names, matched by name so adapters need not import every exception class. */
export function isConditionalCheckFailed(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

/**
 * Whether a write lost its condition: a single write's ConditionalCheckFailedException, or a
 * transaction cancelled because one of its conditions failed (then none of its items, audit event
 * included, was written).
 */
export function isConditionLost(error: unknown): boolean {
  return isConditionalCheckFailed(error) || isConditionLostInTransaction(error);
}

/** One conditional write or transaction whose lost condition means a domain error, which `onLost` names. */
export async function writeOrFail(
  write: Promise<unknown>,
  onLost: () => Error | Promise<Error>,
): Promise<void> {
  try {
    await write;
  } catch (error) {
    if (isConditionLost(error)) throw await onLost();
    throw error;
  }
}

/** One conditional write or transaction whose lost condition is an answer, not an error: true if it wrote. */
export async function writeIfCondition(write: Promise<unknown>): Promise<boolean> {
  try {
    await write;
    return true;
  } catch (error) {
    if (isConditionLost(error)) return false;
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
