/** A failure to start a local engine that the person starting it can fix; its message says how. */
export class LocalEngineError extends Error {
  override readonly name = 'LocalEngineError';
}
