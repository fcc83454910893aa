import { createHash } from 'node:crypto';
import type { TokenHasher } from '../../shared/domain/key-records';

/**
 * For keys a test only stores, lists or mails about and never presents to the authorizer: a
 * digest of the right shape with no pepper behind it. Keys a test authenticates with are hashed
 * with the real pepper ring instead.
 */
export const unpepperedHasher: TokenHasher = {
  hashToken: async (token) => ({
    tokenHash: createHash('sha256').update(token).digest('base64url'),
    pepperVersion: 1,
  }),
};
