import { addressBytes, type IpRange } from './ip-ranges';

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

function hostBitsClear(range: IpRange): boolean {
  return range.bytes.every((byte, i) => {
    const kept = Math.min(8, Math.max(0, range.prefix - i * 8));
    return (byte & (0xff >> kept)) === 0;
  });
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
