/**
 * A value built on first use and kept for the process. Callers mark each `once(...)` call
 * `@__PURE__`, so esbuild drops the ones a function never calls, and with them their adapters
 * and SDK clients.
 */
export function once<T>(build: () => T): () => T {
  let value: T | undefined;
  let built = false;
  return () => {
    if (!built) {
      value = build();
      built = true;
    }
    return value as T;
  };
}
