import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LocalKeyProvider } from '../shared/adapters/local-key-provider';

/**
 * A KMS stand-in that speaks KMS's JSON protocol for `TrentService.Decrypt`, backed by the local key
 * provider (AES-256-GCM with the encryption context bound in, as KMS binds it). There is no local
 * KMS engine, so the bench and the authorizer's KMS tests point `AWS_ENDPOINT_URL_KMS` here: the
 * authorizer's real signed HTTP call is made, and every request it sends is recorded.
 */
export interface KmsRequest {
  readonly target: string | undefined;
  readonly authorization: string | undefined;
  readonly body: Record<string, unknown>;
}

export interface LocalKms {
  readonly endpoint: string;
  readonly provider: LocalKeyProvider;
  readonly requests: KmsRequest[];
  /** Makes the next `count` requests fail as KMS does when access is denied. */
  failNext(count: number): void;
  close(): Promise<void>;
}

export async function startLocalKms(): Promise<LocalKms> {
  const provider = new LocalKeyProvider(LocalKeyProvider.newMasterKey());
  const requests: KmsRequest[] = [];
  let failures = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const reply = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify(body));
      };
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      } catch {
        return reply(400, { __type: 'SerializationException', message: 'Body is not JSON' });
      }
      const target = req.headers['x-amz-target'];
      const authorization = req.headers.authorization;
      requests.push({ target: typeof target === 'string' ? target : undefined, authorization, body });
      if (target !== 'TrentService.Decrypt') return reply(400, { __type: 'UnknownOperationException' });
      if (
        authorization === undefined ||
        !/^AWS4-HMAC-SHA256 Credential=\S+\/kms\/aws4_request/.test(authorization)
      ) {
        return reply(400, {
          __type: 'MissingAuthenticationTokenException',
          message: 'Request is not SigV4 signed',
        });
      }
      if (failures > 0) {
        failures -= 1;
        return reply(400, { __type: 'AccessDeniedException', message: 'Injected denial' });
      }
      const context = (body.EncryptionContext ?? {}) as Record<string, string>;
      provider
        .decryptDataKey(Buffer.from(String(body.CiphertextBlob), 'base64'), context)
        .then((plaintext) =>
          reply(200, {
            KeyId: body.KeyId ?? 'arn:aws:kms:us-east-1:000000000000:key/local',
            Plaintext: Buffer.from(plaintext).toString('base64'),
            EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
          }),
        )
        .catch(() => reply(400, { __type: 'InvalidCiphertextException', message: 'Cannot decrypt' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    provider,
    requests,
    failNext: (count) => {
      failures = count;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
