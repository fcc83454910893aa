/**
 * Text people type that ends up in mails and pages (key names, descriptions, site names). Control
 * characters (line breaks included) could add lines to a verification mail, such as a fake code line;
 * bidirectional overrides and isolates could make it read differently from what it says (the
 * "Trojan Source" trick, CVE-2021-42574). Both are refused rather than stripped, so what is stored is
 * exactly what was asked for.
 */
const CONTROL = /\p{Cc}/u;
/** Embeddings, overrides and isolates, the marks, and the line and paragraph separators. */
const BIDI_OR_SEPARATOR = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/u;

export function isPlainText(text: string): boolean {
  return !CONTROL.test(text) && !BIDI_OR_SEPARATOR.test(text);
}

export function plainTextMessage(field: string): string {
  return `${field} must not contain control characters, line breaks or bidirectional overrides`;
}
