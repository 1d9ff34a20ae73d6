/**
 * What the units' sandbox hides: PrivateTmp= gives them their own empty /tmp and /var/tmp,
 * ProtectHome= makes /home, /root and /run/user empty and unreadable. A path under one of these
 * looks fine from a shell and fails only under the unit.
 */
const HIDDEN: readonly { dir: string; by: string }[] = [
  { dir: '/tmp', by: 'PrivateTmp=yes' },
  { dir: '/var/tmp', by: 'PrivateTmp=yes' },
  { dir: '/home', by: 'ProtectHome=yes' },
  { dir: '/root', by: 'ProtectHome=yes' },
  { dir: '/run/user', by: 'ProtectHome=yes' },
];

/** `/home (ProtectHome=yes)` when the units cannot see `path`, else undefined. */
export function hiddenBy(path: string): string | undefined {
  const hit = HIDDEN.find((h) => path === h.dir || path.startsWith(`${h.dir}/`));
  return hit ? `${hit.dir} (${hit.by})` : undefined;
}
