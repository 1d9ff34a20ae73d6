/** The status line and header fields of an HTTP/1.1 response (RFC 9112 §4, §5). */
export interface ResponseHead {
  statusCode: number;
  /** By lower-case name; a field sent more than once is joined with ", " (RFC 9110 §5.3). */
  headers: Readonly<Record<string, string>>;
}

/** How the body after a head is delimited (RFC 9112 §6.3). */
export type BodyFraming = { kind: 'none' } | { kind: 'length'; bytes: number } | { kind: 'chunked' } | { kind: 'until-close' };

const STATUS_LINE = /^HTTP\/1\.[01] (\d{3})(?: .*)?$/;
const FIELD = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+):[ \t]*(.*?)[ \t]*$/;

/** Parses the head's text, without the blank line that ends it; a malformed one is an Error naming the line. */
export function parseResponseHead(text: string): ResponseHead {
  const [statusLine = '', ...lines] = text.split('\r\n');
  const status = STATUS_LINE.exec(statusLine);
  if (status?.[1] === undefined) throw new Error(`not an HTTP/1.1 status line: ${JSON.stringify(statusLine.slice(0, 80))}`);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const field = FIELD.exec(line);
    if (field?.[1] === undefined || field[2] === undefined) throw new Error(`malformed header line: ${JSON.stringify(line.slice(0, 80))}`);
    const name = field[1].toLowerCase();
    const previous = headers[name];
    headers[name] = previous === undefined ? field[2] : `${previous}, ${field[2]}`;
  }
  return { statusCode: Number(status[1]), headers };
}

/**
 * Transfer-Encoding wins over Content-Length; a length sent twice must agree with itself, as
 * two different ones would let the server and this client disagree about where the body ends.
 */
export function bodyFraming(head: ResponseHead): BodyFraming {
  const { statusCode, headers } = head;
  if (statusCode === 204 || statusCode === 304 || statusCode < 200) return { kind: 'none' };
  const encoding = headers['transfer-encoding'];
  if (encoding !== undefined) {
    const last = encoding.split(',').at(-1)?.trim().toLowerCase();
    return last === 'chunked' ? { kind: 'chunked' } : { kind: 'until-close' };
  }
  const length = headers['content-length'];
  if (length === undefined) return { kind: 'until-close' };
  const values = new Set(length.split(',').map((v) => v.trim()));
  const [only] = values;
  if (values.size !== 1 || only === undefined || !/^\d{1,15}$/.test(only))
    throw new Error(`invalid Content-Length: ${JSON.stringify(length)}`);
  return { kind: 'length', bytes: Number(only) };
}
