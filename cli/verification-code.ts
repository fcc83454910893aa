import { createInterface } from 'node:readline/promises';
import type { Readable, Writable } from 'node:stream';
import { expectOk, type LatchkeyClient, type paths } from '../client';
import type { Context } from './command-context';
import { UsageError } from './usage-error';

/**
 * Where a sensitive command gets the 6-digit code that was just emailed: the terminal when there is
 * one (a prompt), otherwise the first line of standard input, so a script can pipe it in. The code
 * is never echoed back or written anywhere else.
 */
export const CODE_FORMAT = /^\d{6}$/;

export type Intent = paths['/v1/verifications']['post']['requestBody']['content']['application/json'];

export interface Proof {
  readonly verificationId: string;
  readonly code: string;
}

/**
 * Gets the code that confirms `intent`: asks the API to email one, says where it went, and reads it
 * (terminal, or the first line of stdin); or takes --verification-id and --code from an earlier
 * --request-code. Undefined when the command stops after sending (--request-code).
 */
export async function confirm(
  context: Context,
  client: LatchkeyClient,
  intent: Intent,
): Promise<Proof | undefined> {
  const { values, io } = context;
  if (values.code !== undefined || values['verification-id'] !== undefined) {
    if (values.code === undefined || values['verification-id'] === undefined) {
      throw new UsageError('--code and --verification-id go together (the id comes from --request-code)');
    }
    if (!CODE_FORMAT.test(values.code.trim()))
      throw new UsageError('--code must be the 6-digit code from the email');
    return { verificationId: values['verification-id'], code: values.code.trim() };
  }
  const sent = await expectOk(client.POST('/v1/verifications', { body: intent }));
  io.stderr.write(`A 6-digit code was sent to ${sent.sentTo}; it expires at ${sent.expiresAt}.\n`);
  if (values['request-code'] === true) {
    context.out(
      `Verification id: ${sent.verificationId}\nRun the command again with --verification-id ${sent.verificationId} --code <code>.`,
      sent,
    );
    return undefined;
  }
  const code = await readCode(io.stdin, io.stderr);
  if (!CODE_FORMAT.test(code)) throw new UsageError('that is not a 6-digit code');
  return { verificationId: sent.verificationId, code };
}

export async function readCode(input: Readable & { isTTY?: boolean }, prompt: Writable): Promise<string> {
  const line = input.isTTY === true ? await askTerminal(input, prompt) : await firstLine(input);
  return line.trim();
}

async function askTerminal(input: Readable, prompt: Writable): Promise<string> {
  const terminal = createInterface({ input, output: prompt, terminal: true });
  try {
    return await terminal.question('Enter the 6-digit code from the email: ');
  } finally {
    terminal.close();
  }
}

/** The first line, without waiting for the end of the stream: a script may keep it open. */
function firstLine(input: Readable): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const done = (value: string) => {
      input.off('data', onData);
      input.off('end', onEnd);
      input.off('error', onError);
      input.pause();
      resolve(value);
    };
    const onData = (chunk: Buffer | string) => {
      text += chunk.toString();
      const newline = text.indexOf('\n');
      if (newline >= 0) done(text.slice(0, newline).replace(/\r$/, ''));
    };
    const onEnd = () => done(text);
    const onError = (error: Error) => reject(error);
    input.on('data', onData);
    input.once('end', onEnd);
    input.once('error', onError);
    input.resume();
  });
}
