import { describe, expect, it } from 'vitest';
import { rotateApiKeySchema } from '../../../shared/domain/api-key-requests';
import { parseCidr } from '../../../shared/domain/cidr';
import { ipInRanges, toIpRanges } from '../../../shared/domain/ip-ranges';
import { graceUntil, keyStatus } from '../../../shared/domain/key-policies';
import { isPermissionId, PERMISSION_IDS } from '../../../shared/domain/permission-grants';
import { accessTo, normalisePermissions, PERMISSIONS } from '../../../shared/domain/permissions';

describe('CIDR ranges', () => {
  const canonical = (text: string) => {
    const parsed = parseCidr(text);
    return parsed.ok ? parsed.canonical : parsed.problem;
  };

  it.each([
    ['192.0.2.0/24', '192.0.2.0/24'],
    ['192.0.2.7', '192.0.2.7/32'],
    ['2001:DB8:0:0:0:0:0:0/32', '2001:db8::/32'],
    ['::1', '::1/128'],
    ['2001:db8:0:1:0:0:0:1', '2001:db8:0:1::1/128'],
    ['::ffff:192.0.2.1', '192.0.2.1/32'],
  ])('canonicalises %j as %j', (text, expected) => {
    expect(canonical(text)).toBe(expected);
  });

  it.each([
    ['10.0.0.1/8', 'host_bits_set'],
    ['0.0.0.0/0', 'too_wide'],
    ['::/0', 'too_wide'],
    ['10.0.0.0/33', 'malformed'],
    ['10.0.0/8', 'malformed'],
    ['10.0.0.0/', 'malformed'],
    ['10.0.0.0/08', 'malformed'],
    ['fe80::1%eth0', 'malformed'],
    ['1.2.3.4/-1', 'malformed'],
    ['', 'malformed'],
  ])('refuses %j as %s', (text, problem) => {
    expect(canonical(text)).toBe(problem);
  });

  it('matches addresses on prefix bits, IPv4-mapped IPv6 as IPv4, never across families', () => {
    const ranges = toIpRanges(['198.51.100.0/22', '2001:db8:8000::/33']);
    expect(ipInRanges('198.51.103.255', ranges)).toBe(true);
    expect(ipInRanges('198.51.104.0', ranges)).toBe(false);
    expect(ipInRanges('::ffff:198.51.101.1', ranges)).toBe(true);
    expect(ipInRanges('2001:db8:ffff::1', ranges)).toBe(true);
    expect(ipInRanges('2001:db8:7fff::1', ranges)).toBe(false);
    expect(ipInRanges('::c633:6401', ranges)).toBe(false);
    expect(ipInRanges('not an address', ranges)).toBe(false);
    expect(ipInRanges('198.51.100.1', [])).toBe(false);
  });

  it('reads a bare stored address as a range of one, and a stored value that is no range as matching nothing', () => {
    expect(ipInRanges('203.0.113.7', toIpRanges(['203.0.113.7']))).toBe(true);
    expect(ipInRanges('203.0.113.8', toIpRanges(['203.0.113.7']))).toBe(false);
    const broken = toIpRanges([
      '203.0.113.0/0',
      '203.0.113.0/33',
      '203.0.113.0/24/1',
      'nonsense',
      '203.0.113.0/x',
    ]);
    expect(broken).toEqual([]);
    expect(ipInRanges('203.0.113.1', broken)).toBe(false);
  });
});

describe('read-only grants', () => {
  it('describes exactly the permission ids the authorizer knows, in the same order', () => {
    expect(PERMISSIONS.map((p) => p.id)).toEqual([...PERMISSION_IDS]);
    expect(isPermissionId('stores')).toBe(true);
    expect(isPermissionId('stores:read')).toBe(false);
    expect(isPermissionId('toString')).toBe(false);
  });

  it('normalise: required added, full access wins over read-only, catalog order', () => {
    expect(normalisePermissions(['contacts:read', 'stores:read', 'stores', 'contacts:read'])).toEqual([
      'sites.list',
      'stores',
      'contacts:read',
    ]);
    expect(accessTo(['stores:read'], 'stores')).toBe('read');
    expect(accessTo(['stores'], 'stores')).toBe('write');
    expect(accessTo(['stores:read'], 'events')).toBeUndefined();
  });

  it('refuse unknown access levels and read-only where the permission offers none', () => {
    expect(() => normalisePermissions(['stores:write'])).toThrow(/Unknown permission: stores:write/);
    expect(() => normalisePermissions(['sites.list:read'])).toThrow(/No read-only grant for sites.list:read/);
  });
});

describe('status and grace', () => {
  const now = new Date('2026-11-28T12:00:00.000Z');
  it('is active, expiring within 7 days, expired at the instant', () => {
    expect(keyStatus({ expiresAt: undefined }, now)).toBe('active');
    expect(keyStatus({ expiresAt: '2026-12-05T12:00:00.001Z' }, now)).toBe('active');
    expect(keyStatus({ expiresAt: '2026-12-05T12:00:00.000Z' }, now)).toBe('expiring');
    expect(keyStatus({ expiresAt: '2026-11-28T12:00:00.000Z' }, now)).toBe('expired');
  });

  it('grace ends N seconds from now, never past the expiry, and 0 keeps no previous token', () => {
    expect(graceUntil(now, 0, undefined)).toBeUndefined();
    expect(graceUntil(now, 60, undefined)).toBe('2026-11-28T12:01:00.000Z');
    expect(graceUntil(now, 3600, '2026-11-28T12:30:00.000Z')).toBe('2026-11-28T12:30:00.000Z');
    expect(rotateApiKeySchema.safeParse({ gracePeriodSeconds: 604800 }).success).toBe(true);
    expect(rotateApiKeySchema.safeParse({ gracePeriodSeconds: 604801 }).success).toBe(false);
  });
});
