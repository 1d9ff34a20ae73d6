/** URLs as they may appear in logs and error messages: never with embedded credentials. */
export function redactUrl(url: string | URL): string {
  const parsed = new URL(url);
  if (parsed.username === '' && parsed.password === '') return parsed.toString();
  parsed.username = '';
  parsed.password = '';
  return parsed.toString();
}

export function basicAuthHeader(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}
