/**
 * Passwords reach text in more shapes than a URL parser accepts: `user:secret@host/db` with no
 * scheme (which URL reads as scheme "user:"), an `@` or `/` left unescaped in the password,
 * `?password=` in a query string, a libpq `password=...` keyword. These patterns hide them
 * wherever they appear in a message; when in doubt they hide too much rather than too little.
 */
const REDACTED = 'redacted';

/**
 * `[scheme://]user:password@`: the password runs to the last `@` before whitespace, a quote or
 * an angle bracket, so an unescaped `@` in it is hidden too. The user may be empty after a scheme.
 */
const USERINFO = /([a-z][a-z0-9+.-]*:\/\/)?([^\s:/?#@"'<>`]*):([^\s"'<>`]*)@/gi;
const PASSWORD_PARAMETER = /(^|[^a-z0-9_])(password|passwd|pwd|sslpassword)=('[^']*'|[^&\s"'<>#;]*)/gi;
const AUTH_HEADER = /\b(Basic|Bearer)\s+[A-Za-z0-9+/._~-]{8,}=*/g;

export function redactSecrets(text: string, known: readonly string[] = []): string {
  let out = text;
  for (const secret of known) for (const form of secretForms(secret)) out = out.split(form).join(`[${REDACTED}]`);
  return out
    .replace(USERINFO, (match, scheme: string | undefined, user: string) =>
      scheme === undefined && user === '' ? match : `${scheme ?? ''}${user}:${REDACTED}@`,
    )
    .replace(PASSWORD_PARAMETER, (_match, before: string, key: string) => `${before}${key}=${REDACTED}`)
    .replace(AUTH_HEADER, (_match, scheme: string) => `${scheme} [${REDACTED}]`);
}

/**
 * A known secret as it may be written: as is, percent-encoded in a URL, escaped in a JSON
 * line. Very short values are skipped: hiding every "a" would hide the message instead.
 */
function secretForms(secret: string): string[] {
  if (secret.length < 4) return [];
  return [...new Set([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)])].sort((a, b) => b.length - a.length);
}

/** One whole address: scheme, user, password (to the last `@`), the rest. */
const WHOLE_URL = /^([a-z][a-z0-9+.-]*:\/\/)?([^\s:/@]*):(.*)@([^@]*)$/is;

/** The password in a URL or connection string, as written and percent-decoded: none when it has none. */
export function passwordsInUrl(url: string): string[] {
  const written = WHOLE_URL.exec(url)?.[3];
  if (written === undefined || written === '') return [];
  let decoded = written;
  try {
    decoded = decodeURIComponent(written);
  } catch {
    // A stray % is part of the password as written.
  }
  return [...new Set([written, decoded])];
}

/**
 * A URL or connection string safe to print: the one redaction for database URLs, Cablecast
 * and VOD addresses alike. The whole value is one address, so everything between the user's
 * `:` and the last `@` is the password, whatever it holds (spaces included); a password in
 * the query string is hidden too.
 */
export function redactUrl(url: string | URL): string {
  const text = typeof url === 'string' ? url : url.href;
  const whole = WHOLE_URL.exec(text);
  const base = whole === null ? text : `${whole[1] ?? ''}${whole[2] ?? ''}:${REDACTED}@${whole[4] ?? ''}`;
  return redactSecrets(base);
}
