/** The Authorization header for HTTP Basic (RFC 7617: UTF-8 user-pass). */
export function basicAuthHeader(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}
