import { describe, expect, it } from "vitest";
import { PiiFilter } from "./pii-filter.js";

const f = new PiiFilter();
const scrub = (text: string) => f.scrub(text);

describe("PiiFilter: context", () => {
  it("leaves version numbers that look like IPv4 addresses", () => {
    for (const text of [
      "Upgrade to version 1.2.3.4 before Friday.",
      "Firmware v2.10.3.1 fixes the bug; build 4.0.1.22 is older.",
      "Release 8.8.8.8 of the toolkit ships today.",
    ]) {
      expect(scrub(text).text).toBe(text);
    }
    expect(scrub("The resolver at 8.8.8.8 answered.").counts.ipv4).toBe(1);
  });

  it("leaves Luhn-valid order ids without card context; scrubs cards by format or context", () => {
    for (const text of [
      "Your order 4111111111111111 has shipped.",
      "Invoice no. 5555555555554444, tracking 378282246310005.",
      "Reference: 4012888888881881 (keep it for your records).",
    ]) {
      expect(scrub(text).text).toBe(text);
    }
    expect(scrub("Card 4111 1111 1111 1111 expires soon.").counts.card).toBe(1);
    expect(scrub("Charged to Visa card number 4111111111111111 today.").counts.card).toBe(1);
    expect(scrub("amex: 3782-822463-10005").counts.card).toBe(1);
  });

  it("scrubs international phone numbers with short and long groups", () => {
    for (const phone of [
      "+49 30 901820",
      "+33 1 42 68 53 00",
      "+44 20 7946 0958",
      "+81 3-1234-5678",
      "+1 415 555 2671",
    ]) {
      const out = scrub(`Call ${phone} today.`);
      expect(out.text, phone).toBe("Call 555-0100 today.");
      expect(out.counts.phone).toBe(1);
    }
    for (const text of ["Score was +3 2 1 after the game.", "Temperature +12 3", "Chapter +1 2"]) {
      expect(scrub(text).text).toBe(text);
    }
  });
});
