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

/** Why a CIDR was refused, for the 400 that names it. */
export type CidrProblem = 'malformed' | 'host_bits_set' | 'too_wide';

export type ParsedCidr =
  | { readonly ok: true; readonly range: IpRange; readonly canonical: string }
  | { readonly ok: false; readonly problem: CidrProblem };

/**
 * `192.0.2.0/24`, `2001:db8::/32`, or a bare address (a range of one). Refused: anything else, a
 * range whose address has bits past its prefix (`10.0.0.1/8` is almost always a typo), and `/0`,
 * which allows every address and is said with an empty list instead.
 */
export function parseCidr(text: string): ParsedCidr {
  const slash = text.indexOf('/');
  const address = slash === -1 ? text : text.slice(0, slash);
  const bytes = addressBytes(address);
  if (bytes === undefined) return { ok: false, problem: 'malformed' };
  const bits = bytes.length * 8;
  let prefix = bits;
  if (slash !== -1) {
    const digits = text.slice(slash + 1);
    if (!/^(0|[1-9][0-9]{0,2})$/.test(digits)) return { ok: false, problem: 'malformed' };
    prefix = Number(digits);
    if (prefix > bits) return { ok: false, problem: 'malformed' };
  }
  if (prefix === 0) return { ok: false, problem: 'too_wide' };
  const range = { bytes, prefix };
  if (!hostBitsClear(range)) return { ok: false, problem: 'host_bits_set' };
  return { ok: true, range, canonical: `${formatAddress(bytes)}/${prefix}` };
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
    const parsed = parseCidr(cidr);
    return parsed.ok ? [parsed.range] : [];
  });
  if (parsedLists.size >= PARSED_LISTS_MAX) parsedLists.clear();
  parsedLists.set(cacheKey, ranges);
  return ranges;
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

function hostBitsClear(range: IpRange): boolean {
  return range.bytes.every((byte, i) => {
    const kept = Math.min(8, Math.max(0, range.prefix - i * 8));
    return (byte & (0xff >> kept)) === 0;
  });
}

/** 4 bytes for IPv4 (and IPv4-mapped IPv6), 16 for IPv6; undefined for anything else. */
function addressBytes(address: string): Uint8Array | undefined {
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

/** Dotted quad, or RFC 5952 IPv6: lower case, the longest run of two or more zero hextets as `::`. */
function formatAddress(bytes: Uint8Array): string {
  if (bytes.length === 4) return [...bytes].join('.');
  const hextets = Array.from({ length: 8 }, (_, i) => ((bytes[i * 2] ?? 0) << 8) | (bytes[i * 2 + 1] ?? 0));
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (hextets[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && hextets[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = hextets.map((h) => h.toString(16));
  if (bestStart === -1) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}
