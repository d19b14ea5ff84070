import { dateAndTimeToIso, formatInteger, formatOctets, inetAddressText } from './display-hint.ts';
import type { Syntax } from './mib-index.ts';

/** What the MIB adds to a raw value: the named number, the named bits, the DISPLAY-HINT / textual-convention text. */
export interface Rendering {
  enum?: string;
  bits?: string[];
  display?: string;
}

/** Renders one raw value (the JSON value, and the wire bytes for octet strings); undefined when the MIB adds nothing. */
export type ValueRenderer = (value: string | number | boolean | null, bytes: Uint8Array | undefined) => Rendering | undefined;

/** Adds what the MIB says to a varbind in place (enum, bits, display), as rendererFor's renderer finds it. */
export function renderInto(json: Rendering & { value: string | number | boolean | null }, renderer: ValueRenderer, bytes: Uint8Array | undefined): void {
  const rendering = renderer(json.value, bytes);
  if (rendering === undefined) return;
  if (rendering.enum !== undefined) json.enum = rendering.enum;
  if (rendering.bits !== undefined) json.bits = rendering.bits;
  if (rendering.display !== undefined) json.display = rendering.display;
}

const INTEGER_BASES = new Set(['Integer32', 'Unsigned32', 'Gauge32', 'Counter32']);
const OCTET_BASES = new Set(['OctetString', 'Opaque', 'Bits']);

/** The renderer for a syntax (made once per node, when the index is built); undefined when the syntax says nothing beyond the raw value. */
export function rendererFor(syntax: Syntax | undefined): ValueRenderer | undefined {
  if (syntax === undefined) return undefined;
  const { base, enums, displayHint, textualConventions } = syntax;
  if (INTEGER_BASES.has(base)) {
    if (enums && enums.size > 0) {
      return (value) => {
        const name = typeof value === 'number' ? enums.get(value) : undefined;
        return name === undefined ? undefined : { enum: name };
      };
    }
    if (displayHint !== undefined && formatInteger(displayHint, 0) !== undefined) {
      return (value) => (typeof value === 'number' ? { display: formatInteger(displayHint, value) } : undefined);
    }
    return undefined;
  }
  if (!OCTET_BASES.has(base)) return undefined;
  if (base === 'Bits' && enums && enums.size > 0) {
    return (_value, bytes) => (bytes === undefined ? undefined : { bits: bitNames(bytes, enums) });
  }
  if (textualConventions.includes('DateAndTime')) return display((bytes) => dateAndTimeToIso(bytes));
  if (textualConventions.includes('InetAddress')) return display((bytes) => inetAddressText(bytes));
  // Text hints ("255a", "255t") say what the value already is.
  if (displayHint !== undefined && !/^\d+[at]$/.test(displayHint)) {
    return display((bytes, value) => {
      const text = formatOctets(displayHint, bytes);
      return text === value ? undefined : text;
    });
  }
  return undefined;
}

function display(format: (bytes: Uint8Array, value: string | number | boolean | null) => string | undefined): ValueRenderer {
  return (value, bytes) => {
    if (bytes === undefined) return undefined;
    const text = format(bytes, value);
    return text === undefined ? undefined : { display: text };
  };
}

/** BITS: the names of the bits that are set (bit 0 is the high bit of the first octet, RFC 2578 §7.1.4). */
export function bitNames(bytes: Uint8Array, names: ReadonlyMap<number, string>): string[] {
  const set: string[] = [];
  for (let i = 0; i < bytes.length * 8; i++) {
    if ((bytes[i >> 3] & (0x80 >> (i & 7))) !== 0) set.push(names.get(i) ?? String(i));
  }
  return set;
}
