/**
 * Captures everything a test file's code writes to stdout/stderr (console and direct writes), and
 * records every token and code the file was issued, so a final check can prove none reached a log.
 * Set LATCHKEY_TEST_LOGS=1 to also see the output.
 */
const chunks: string[] = [];
const secrets = new Set<string>();
let capturing = false;

export function startCapturingOutput(): void {
  if (capturing) return;
  capturing = true;
  const passThrough = process.env.LATCHKEY_TEST_LOGS === '1';
  for (const stream of [process.stdout, process.stderr]) {
    const original = stream.write.bind(stream);
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
      return passThrough ? (original as (...args: unknown[]) => boolean)(chunk, ...rest) : true;
    }) as typeof stream.write;
  }
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    console[method] = (...args: unknown[]) => {
      const text = args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ');
      process.stdout.write(`${text}\n`);
    };
  }
}

export function capturedOutput(): string {
  return chunks.join('');
}

/** Call with every token or verification code a test receives. */
export function rememberSecret(secret: string): void {
  secrets.add(secret);
}

export function secretsIssued(): readonly string[] {
  return [...secrets];
}
