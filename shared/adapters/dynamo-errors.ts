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
