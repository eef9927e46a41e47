/** One `-----BEGIN LABEL-----` … `-----END LABEL-----` block of a text, as written. */
export interface PemBlock {
  /** `CERTIFICATE`, `PRIVATE KEY`, `RSA PRIVATE KEY`, `ENCRYPTED PRIVATE KEY`… */
  label: string;
  /** Offset of the BEGIN line's first dash in the text given. */
  start: number;
  /** Offset just after the END line, or where the block stopped when it has none. */
  end: number;
  /** RFC 1421 headers of legacy OpenSSL keys (`Proc-Type: 4,ENCRYPTED`, `DEK-Info: …`), by name. */
  headers: ReadonlyMap<string, string>;
  /** The base64 body with every whitespace character removed. */
  base64: string;
  /** false when the text stops (or the next block begins) before the END line: a truncated copy. */
  complete: boolean;
}

const BEGIN = /-----BEGIN ([A-Z0-9][A-Z0-9 ]*?)-----/g;
const HEADER = /^([A-Za-z][A-Za-z0-9-]*):\s*(.*)$/;

/**
 * Splits a text into its PEM blocks, in order, with their offsets. Several
 * blocks in one text (a CA bundle, a certificate with its key) each come back
 * on their own: Node's X509Certificate would only read the first.
 */
export function pemBlocks(text: string): PemBlock[] {
  const begins = [...text.matchAll(BEGIN)];
  return begins.map((match, index) => {
    const label = match[1] as string;
    const start = match.index;
    const bodyStart = start + match[0].length;
    const limit = begins[index + 1]?.index ?? text.length;
    const endMarker = `-----END ${label}-----`;
    const endAt = text.indexOf(endMarker, bodyStart);
    const complete = endAt !== -1 && endAt < limit;
    const bodyEnd = complete ? endAt : limit;
    const { headers, body } = splitHeaders(text.slice(bodyStart, bodyEnd));
    return { label, start, end: complete ? endAt + endMarker.length : bodyEnd, headers, base64: body.replace(/\s+/g, ""), complete };
  });
}

/** Legacy encrypted keys put `Name: value` lines, then a blank line, before the base64. */
function splitHeaders(body: string): { headers: Map<string, string>; body: string } {
  const headers = new Map<string, string>();
  const lines = body.split(/\r?\n/);
  let first = lines[0]?.trim() === "" ? 1 : 0;
  if (!HEADER.test(lines[first]?.trim() ?? "")) return { headers, body };
  for (; first < lines.length; first += 1) {
    const match = HEADER.exec(lines[first]?.trim() ?? "");
    if (!match) break;
    headers.set(match[1] as string, (match[2] as string).trim());
  }
  return { headers, body: lines.slice(first).join("\n") };
}

/** Standard base64, padded, nothing else: what a PEM body and a Secret's `data` value must be. */
export function isStrictBase64(text: string): boolean {
  return text.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(text);
}

/** A PEM block as OpenSSL writes it (64-column lines), for Node's key parser, which wants clean input. */
export function canonicalPem(label: string, base64: string): string {
  const lines = base64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}

/** Where each BEGIN line starts in `source`, in order: the same blocks pemBlocks finds, located in a file's raw text. */
export function pemBeginOffsets(source: string): number[] {
  return [...source.matchAll(BEGIN)].map((match) => match.index);
}
