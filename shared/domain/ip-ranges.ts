import { isIPv4, isIPv6 } from 'node:net';

/**
 * IPv4 and IPv6 CIDR ranges, parsed once into bytes so the authorizer's check is a few byte
 * comparisons. An IPv4 address reached over IPv6 (`::ffff:192.0.2.1`) is checked as IPv4, because
 * that is how an operator wrote the range.
 */
export interface IpRange {
  readonly bytes: Uint8Array;
  readonly prefix: number;
}

/**
 * Parses ranges that were validated when stored; one that no longer parses matches nothing. The
 * authorizer sees the same few keys again and again, so parsed lists are kept per warm container
 * (bounded: a full cache starts again rather than grow).
 */
const parsedLists = new Map<string, readonly IpRange[]>();
const PARSED_LISTS_MAX = 512;

export function toIpRanges(cidrs: readonly string[]): readonly IpRange[] {
  const cacheKey = cidrs.join(' ');
  const cached = parsedLists.get(cacheKey);
  if (cached !== undefined) return cached;
  const ranges = cidrs.flatMap((cidr) => {
    const range = storedRange(cidr);
    return range === undefined ? [] : [range];
  });
  if (parsedLists.size >= PARSED_LISTS_MAX) parsedLists.clear();
  parsedLists.set(cacheKey, ranges);
  return ranges;
}

/**
 * A stored range, read without the checks and the canonical form that parseCidr (cidr.ts) gives
 * on the way in: it was validated then. One that is not a range now matches nothing.
 */
function storedRange(cidr: string): IpRange | undefined {
  const [address = '', prefixText, extra] = cidr.split('/');
  const bytes = addressBytes(address);
  if (bytes === undefined || extra !== undefined) return undefined;
  const bits = bytes.length * 8;
  const prefix = prefixText === undefined ? bits : Number(prefixText);
  return Number.isInteger(prefix) && prefix > 0 && prefix <= bits ? { bytes, prefix } : undefined;
}

export function ipInRanges(address: string, ranges: readonly IpRange[]): boolean {
  const bytes = addressBytes(address);
  if (bytes === undefined) return false;
  return ranges.some((range) => inRange(bytes, range));
}

function inRange(bytes: Uint8Array, range: IpRange): boolean {
  if (bytes.length !== range.bytes.length) return false;
  const whole = Math.floor(range.prefix / 8);
  for (let i = 0; i < whole; i++) if (bytes[i] !== range.bytes[i]) return false;
  const rest = range.prefix % 8;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return ((bytes[whole] ?? 0) & mask) === ((range.bytes[whole] ?? 0) & mask);
}

/** 4 bytes for IPv4 (and IPv4-mapped IPv6), 16 for IPv6; undefined for anything else. */
export function addressBytes(address: string): Uint8Array | undefined {
  if (isIPv4(address)) return Uint8Array.from(address.split('.').map(Number));
  if (!isIPv6(address) || address.includes('%')) return undefined;
  let text = address.toLowerCase();
  // A trailing dotted quad (`::ffff:192.0.2.1`) becomes two hextets.
  const quad = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (quad?.[1] !== undefined) {
    const [a = 0, b = 0, c = 0, d = 0] = quad[1].split('.').map(Number);
    text = `${text.slice(0, quad.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const headParts = head === '' ? [] : head.split(':');
  const tailParts = tail === undefined || tail === '' ? [] : tail.split(':');
  const zeros = tail === undefined ? 0 : 8 - headParts.length - tailParts.length;
  const hextets = [...headParts, ...Array<string>(zeros).fill('0'), ...tailParts].map((h) => parseInt(h, 16));
  const bytes = new Uint8Array(16);
  hextets.forEach((value, i) => {
    bytes[i * 2] = value >> 8;
    bytes[i * 2 + 1] = value & 0xff;
  });
  const mapped = bytes.subarray(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
  return mapped ? bytes.slice(12) : bytes;
}
