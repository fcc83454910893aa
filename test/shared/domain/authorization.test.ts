import { describe, expect, it } from 'vitest';
import { tokenFromAuthorization } from '../../../shared/domain/authorization';

describe('tokens in the Authorization header', () => {
  it('accepts the raw token or Bearer <token>', () => {
    expect(tokenFromAuthorization('lk_abc')).toBe('lk_abc');
    expect(tokenFromAuthorization('Bearer lk_abc')).toBe('lk_abc');
    expect(tokenFromAuthorization('bearer   lk_abc ')).toBe('lk_abc');
    expect(tokenFromAuthorization(undefined)).toBeUndefined();
  });
});
