/** The SDK's error names, matched by name so adapters need not import every exception class. */
export function isConditionalCheckFailed(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}
