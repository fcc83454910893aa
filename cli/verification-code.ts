import { createInterface } from 'node:readline/promises';
import type { Readable, Writable } from 'node:stream';

/**
 * Where a sensitive command gets the 6-digit code that was just emailed: the terminal when there is
 * one (a prompt), otherwise the first line of standard input, so a script can pipe it in. The code
 * is never echoed back or written anywhere else.
 */
export const CODE_FORMAT = /^\d{6}$/;

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
