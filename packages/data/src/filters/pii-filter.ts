/**
 * PII scrubbing: replaces email addresses, public IPv4 and IPv6 addresses, phone numbers and
 * card numbers that pass the Luhn check with placeholders, and counts replacements in
 * metadata.pii. Never drops a document. Emails become email@example.com or
 * firstname.lastname@example.org (chosen by a hash of the address, as FineWeb alternates);
 * public IPs become documentation addresses (192.0.2.x, 198.51.100.x, 203.0.113.x, 2001:db8::x),
 * which are not public, so scrubbing twice changes nothing; private and reserved ranges stay.
 * Context keeps look-alikes: a dotted quad after "version", "v", "release", "build",
 * "firmware" (...) is a version, not an address; a Luhn-valid number is a card only with a card
 * issuer prefix and either card grouping (4-4-4-4, 4-6-5) or a card word ("card", "visa",
 * "credit", ...) shortly before it, so order ids, invoice and tracking numbers stay. Phones: NANP
 * forms and international "+<country code>" numbers with groups of 1-6 digits (7-15 digits in
 * all, as E.164 allows), e.g. "+49 30 901820", "+33 1 42 68 53 00".
 * Reference: FineWeb step 9 (datatrove PIIFormatter). Leaves out: names, street addresses and
 * national id numbers (they need a trained recogniser), and national phone forms outside NANP
 * written without the "+<country code>".
 */
import { isIPv6 } from "node:net";
import { type Document, type DocumentFilter, type FilterDecision, hashString } from "@llm/core";

export interface PiiOptions {
  /** Scrub email addresses. Default true. */
  emails?: boolean;
  /** Scrub public IPv4 and IPv6 addresses. Default true. */
  ips?: boolean;
  /** Scrub phone numbers. Default true. */
  phones?: boolean;
  /** Scrub Luhn-valid card numbers (13-19 digits). Default true. */
  cards?: boolean;
  /** Phone placeholder. Default "555-0100" (a reserved fictional number). */
  phonePlaceholder?: string;
  /** Card placeholder. Default "0000-0000-0000-0000". */
  cardPlaceholder?: string;
}

export const EMAIL_PATTERN =
  /[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,}|\[(?:\d{1,3}\.){3}\d{1,3}\])/g;
const EMAIL_PLACEHOLDERS = ["email@example.com", "firstname.lastname@example.org"];
const IPV4 =
  /(?<![\d.])(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}(?![\d.]*\d)/g;
const IPV4_PLACEHOLDERS = ["192.0.2.1", "198.51.100.1", "203.0.113.1"];
const IPV6 = /(?<![0-9A-Fa-f:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![0-9A-Fa-f:])/g;
const CARD = /(?<!\d)\d(?:[ -]?\d){12,18}(?!\d)/g;
const NANP_PHONE = /(?<![\w+])(?:\+1[ .-]?)?(?:\(\d{3}\)[ .-]?|\d{3}[ .-])\d{3}[ .-]\d{4}(?![\d.-]\d)/g;
/** "+<country code>" then groups of digits (an optional "(0)" trunk prefix), separated by space, dot or dash. */
const INTL_PHONE = /(?<![\w+])\+[1-9]\d{0,2}(?:[ .-]?\(0\))?(?:[ .-]\d{1,6}){1,6}(?![\d.-]?\d)/g;
/** A word right before a dotted quad that makes it a version number. */
const VERSION_BEFORE =
  /(?:\b(?:version|versions|ver|v|release|rel|build|firmware|update|kernel|patch|revision|rev)\.?\s*)$/i;
/** A word shortly before a number that makes it a card number. */
const CARD_CONTEXT =
  /\b(?:card|cards|credit|debit|visa|mastercard|master card|amex|american express|discover|diners|jcb|maestro|cc|ccn|pan|cardholder)\b[^\n\d]{0,30}$/i;
/** Issuer prefixes (IIN ranges) of the common card networks. */
const CARD_ISSUER = /^(?:4|5[1-5]|2[2-7]|3[47]|3[068]|35|6011|64[4-9]|65|62|50|5[6-9]|6[37])/;
/** Card grouping: 4-4-4-4 (also 4-4-4-1..7) or Amex 4-6-5, with spaces or dashes. */
const CARD_GROUPED = /^\d{4}([ -])\d{4}\1\d{4}\1\d{1,7}$|^\d{4}([ -])\d{6}\2\d{5}$/;

export class PiiFilter implements DocumentFilter {
  readonly name = "pii";
  private readonly o: Required<PiiOptions>;

  constructor(options: PiiOptions = {}) {
    this.o = {
      emails: options.emails ?? true,
      ips: options.ips ?? true,
      phones: options.phones ?? true,
      cards: options.cards ?? true,
      phonePlaceholder: options.phonePlaceholder ?? "555-0100",
      cardPlaceholder: options.cardPlaceholder ?? "0000-0000-0000-0000",
    };
  }

  /** The scrubbed text and how many of each kind were replaced. */
  scrub(text: string): { text: string; counts: Record<string, number> } {
    const counts = { email: 0, ipv4: 0, ipv6: 0, phone: 0, card: 0 };
    if (this.o.emails) {
      text = text.replace(EMAIL_PATTERN, (m) => {
        if (EMAIL_PLACEHOLDERS.includes(m)) return m;
        counts.email++;
        return EMAIL_PLACEHOLDERS[hashString(m) % 2] as string;
      });
    }
    if (this.o.cards) {
      text = text.replace(CARD, (m, offset: number, all: string) => {
        const digits = m.replace(/\D/g, "");
        if (!luhnValid(digits) || !CARD_ISSUER.test(digits)) return m;
        const before = all.slice(Math.max(0, offset - 40), offset);
        if (!CARD_GROUPED.test(m) && !CARD_CONTEXT.test(before)) return m;
        counts.card++;
        return this.o.cardPlaceholder;
      });
    }
    if (this.o.ips) {
      text = text.replace(IPV4, (m, offset: number, all: string) => {
        if (!isPublicIPv4(m)) return m;
        if (VERSION_BEFORE.test(all.slice(Math.max(0, offset - 20), offset))) return m;
        counts.ipv4++;
        return IPV4_PLACEHOLDERS[hashString(m) % IPV4_PLACEHOLDERS.length] as string;
      });
      text = text.replace(IPV6, (m) => {
        if (!isIPv6(m) || !isPublicIPv6(m)) return m;
        counts.ipv6++;
        return `2001:db8::${(hashString(m) % 3) + 1}`;
      });
    }
    if (this.o.phones) {
      const replace = (m: string) => {
        if (m === this.o.phonePlaceholder) return m;
        counts.phone++;
        return this.o.phonePlaceholder;
      };
      text = text.replace(NANP_PHONE, replace);
      text = text.replace(INTL_PHONE, (m) => {
        const digits = m.replace(/\D/g, "").length;
        // E.164: at most 15 digits; fewer than 7 is a score or a count, not a number to dial.
        return digits >= 7 && digits <= 15 ? replace(m) : m;
      });
    }
    return { text, counts };
  }

  apply(document: Document): FilterDecision {
    const { text, counts } = this.scrub(document.text);
    if (text === document.text) return { keep: true, document };
    const pii = Object.fromEntries(Object.entries(counts).filter(([, v]) => v > 0));
    return { keep: true, document: { ...document, text, metadata: { ...document.metadata, pii } } };
  }
}

/** The Luhn checksum over a string of digits. */
export function luhnValid(digits: string): boolean {
  if (digits.length < 13 || digits.length > 19 || /^0+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** False for private, loopback, link-local, shared, documentation, multicast and reserved ranges. */
export function isPublicIPv4(ip: string): boolean {
  const [a, b, c] = ip.split(".").map(Number) as [number, number, number, number];
  if (a === 0 || a === 10 || a === 127 || a >= 224) return false;
  if (a === 100 && b >= 64 && b <= 127) return false;
  if (a === 169 && b === 254) return false;
  if (a === 172 && b >= 16 && b <= 31) return false;
  if (a === 192 && b === 168) return false;
  if (a === 192 && b === 0 && (c === 0 || c === 2)) return false;
  if (a === 198 && (b === 18 || b === 19)) return false;
  if (a === 198 && b === 51 && c === 100) return false;
  if (a === 203 && b === 0 && c === 113) return false;
  return true;
}

/** Global unicast (2000::/3) outside the documentation prefix 2001:db8::/32. */
export function isPublicIPv6(ip: string): boolean {
  const lower = ip.toLowerCase();
  const first = Number.parseInt(lower.split(":")[0] || "0", 16);
  if ((first & 0xe000) !== 0x2000) return false;
  return !lower.startsWith("2001:db8:") && !lower.startsWith("2001:0db8:");
}
