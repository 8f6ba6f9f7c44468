/**
 * Fast base64 for rank files: decodes many short base64 tokens straight into one shared buffer
 * (Buffer.from per token costs microseconds each, which adds up to seconds on 200k-token
 * vocabularies). Reference: RFC 4648 (standard alphabet, padded). Leaves out: URL-safe base64.
 */

const VALUES = new Int16Array(128).fill(-1);
for (const [i, ch] of [..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"].entries())
  VALUES[ch.charCodeAt(0)] = i;

/**
 * Decodes text[from..to) (padded base64) into out at `at`; returns the number of bytes written,
 * or -1 if the text is not valid padded base64.
 */
export function decodeBase64Into(
  text: string,
  from: number,
  to: number,
  out: Uint8Array,
  at: number,
): number {
  const length = to - from;
  if (length === 0 || length % 4 !== 0) return -1;
  let written = 0;
  for (let i = from; i < to; i += 4) {
    const c0 = text.charCodeAt(i);
    const c1 = text.charCodeAt(i + 1);
    const c2 = text.charCodeAt(i + 2);
    const c3 = text.charCodeAt(i + 3);
    const v0 = c0 < 128 ? (VALUES[c0] as number) : -1;
    const v1 = c1 < 128 ? (VALUES[c1] as number) : -1;
    if (v0 < 0 || v1 < 0) return -1;
    out[at + written++] = (v0 << 2) | (v1 >> 4);
    const last = i + 4 === to;
    if (c2 === 61 /* = */) {
      if (!last || c3 !== 61 || (v1 & 15) !== 0) return -1;
      break;
    }
    const v2 = c2 < 128 ? (VALUES[c2] as number) : -1;
    if (v2 < 0) return -1;
    out[at + written++] = ((v1 & 15) << 4) | (v2 >> 2);
    if (c3 === 61) {
      if (!last || (v2 & 3) !== 0) return -1;
      break;
    }
    const v3 = c3 < 128 ? (VALUES[c3] as number) : -1;
    if (v3 < 0) return -1;
    out[at + written++] = ((v2 & 3) << 6) | v3;
  }
  return written;
}

/** Decodes a list of base64 strings into views of one buffer; undefined marks invalid entries. */
export function decodeBase64List(list: readonly string[]): (Uint8Array | undefined)[] {
  let capacity = 0;
  for (const s of list) capacity += (s.length >> 2) * 3;
  const data = new Uint8Array(capacity);
  const out: (Uint8Array | undefined)[] = new Array(list.length);
  let at = 0;
  for (let i = 0; i < list.length; i++) {
    const s = list[i] as string;
    const n = decodeBase64Into(s, 0, s.length, data, at);
    out[i] = n < 0 ? undefined : data.subarray(at, at + n);
    if (n > 0) at += n;
  }
  return out;
}
