import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/lib/errors.js';
import { mayReceiveCredentials, normalizeMediaHost } from '../../src/lib/fetch/credential-scope.js';

describe('mayReceiveCredentials', () => {
  const scope = { origin: 'http://cablecast.local:8080/CablecastAPI/v1', mediaHosts: ['Media.Example.org', 'cdn.example.org:8443'] };
  const may = (url: string): boolean => mayReceiveCredentials(new URL(url), scope);

  it('allows the configured origin exactly: scheme, host and port', () => {
    expect(may('http://cablecast.local:8080/store-1/x/vod.mp4')).toBe(true);
    expect(may('https://cablecast.local:8080/x')).toBe(false);
    expect(may('http://cablecast.local/x')).toBe(false);
    expect(may('http://cablecast.local:8081/x')).toBe(false);
    expect(may('http://evil.example/x?cablecast.local:8080')).toBe(false);
    expect(may('http://cablecast.local:8080@evil.example/x')).toBe(false);
  });

  it('allows listed media hosts over HTTPS only, on the listed port', () => {
    expect(may('https://media.example.org/x.mp4')).toBe(true);
    expect(may('https://media.example.org:443/x.mp4')).toBe(true);
    expect(may('http://media.example.org/x.mp4')).toBe(false);
    expect(may('https://media.example.org:8443/x.mp4')).toBe(false);
    expect(may('https://cdn.example.org:8443/x.mp4')).toBe(true);
    expect(may('https://cdn.example.org/x.mp4')).toBe(false);
    expect(may('https://sub.media.example.org/x.mp4')).toBe(false);
  });

  it('reads a host entry the way URL spells hosts, and refuses anything else', () => {
    expect(normalizeMediaHost(' Media.Example.ORG:443 ')).toBe('media.example.org');
    expect(normalizeMediaHost('bücher.example')).toBe('xn--bcher-kva.example');
    for (const bad of ['', 'https://media.example.org', 'media.example.org/vods', 'user:pw@media.example.org', 'a b']) {
      expect(() => normalizeMediaHost(bad), bad).toThrow(UsageError);
    }
  });
});
