import type { IncomingMessage, ServerResponse } from 'node:http';

/** Small HTTP helpers the Cablecast test server's parts share. */

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const payload = Buffer.from(JSON.stringify(body));
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': payload.length });
  res.end(payload);
}

/** Sends what a fault allows of the body, then kills the connection as a dropped link would. */
export function cutAfter(res: ServerResponse, partial: Buffer): void {
  res.write(partial, () => res.socket?.destroy());
}

/** The body as JSON, or undefined when it is not JSON (the route answers 400 for that). */
export async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

export function dig(value: unknown, path: readonly string[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}
