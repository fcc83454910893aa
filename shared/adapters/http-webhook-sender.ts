import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import type { WebhookSender } from '../domain/notifications';
import type { SignedWebhook } from '../domain/webhooks';
import { isForbiddenWebhookAddress, webhookUrlProblem } from '../domain/webhooks';

/** How long one delivery may take; the receiver should answer at once and work later. */
const TIMEOUT_MS = 5000;

/**
 * POSTs a signed delivery. The destination is checked twice: the URL when it is used, and every
 * address its name resolves to at connect time (through the socket's own lookup), so a name that
 * resolves to a private address, or is rebound to one after registration, is never reached.
 */
export class HttpWebhookSender implements WebhookSender {
  constructor(private readonly options: { allowLoopback: boolean }) {}

  post(url: string, delivery: SignedWebhook): Promise<void> {
    const problem = webhookUrlProblem(url, this.options);
    if (problem !== undefined) return Promise.reject(new Error(`Webhook destination refused: ${problem}`));
    const target = new URL(url);
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const request = send(
        target,
        {
          method: 'POST',
          lookup: guardedLookup(this.options),
          timeout: TIMEOUT_MS,
          headers: {
            'content-type': 'application/json',
            'user-agent': 'Latchkey-Webhooks/1',
            ...delivery.headers,
          },
        },
        (response) => {
          response.resume();
          const status = response.statusCode ?? 0;
          if (status >= 200 && status < 300) resolve();
          else reject(new Error(`Webhook receiver answered ${status}`));
        },
      );
      request.on('timeout', () => request.destroy(new Error('Webhook receiver timed out')));
      request.on('error', reject);
      request.end(delivery.body);
    });
  }
}

/**
 * The socket's own DNS lookup, refusing every answer unless all the addresses a name resolves to are
 * allowed: checked at connect time, so a name rebound to a private address after registration is
 * refused too.
 */
export function guardedLookup(options: { allowLoopback: boolean }): LookupFunction {
  return (hostname, lookupOptions, callback) => {
    dnsLookup(hostname, { ...lookupOptions, all: true }, (error, addresses: LookupAddress[]) => {
      if (error !== null) return callback(error, '', 0);
      const allowed = addresses.filter((a) => !isForbiddenWebhookAddress(a.address, options));
      if (allowed.length !== addresses.length || allowed.length === 0) {
        return callback(new Error('Webhook destination resolves to a forbidden address'), '', 0);
      }
      if (lookupOptions.all === true) return callback(null, allowed);
      const first = allowed[0] as LookupAddress;
      return callback(null, first.address, first.family);
    });
  };
}
