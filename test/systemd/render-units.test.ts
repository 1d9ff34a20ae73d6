import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/lib/errors.js';
import { GENERATED_MARKER, renderUnits } from '../../src/lib/systemd/render-units.js';
import { SCHEDULED_COMMANDS } from '../../src/lib/systemd/schedules.js';
import { DEFAULT_UNIT_OPTIONS, resolveUnitOptions } from '../../src/lib/systemd/unit-options.js';
import { committedUnitFiles, values } from './helpers.js';
import { STOP_GRACE_MS } from '../../src/lib/cli/process.js';

function byName(name: string, files = renderUnits(DEFAULT_UNIT_OPTIONS)) {
  const file = files.find((f) => f.name === name);
  if (!file) throw new Error(`${name} not rendered`);
  return file.text;
}

describe('renderUnits', () => {
  it('renders exactly the committed files with default options', async () => {
    const sortKey = (f: { dir: string; name: string }) => `${f.dir}/${f.name}`;
    const rendered = renderUnits(DEFAULT_UNIT_OPTIONS).sort((a, b) => sortKey(a).localeCompare(sortKey(b)));
    const committed = (await committedUnitFiles()).sort((a, b) => sortKey(a).localeCompare(sortKey(b)));
    // On a mismatch: render the defaults into systemd/ again (`archivist systemd install --dry-run`).
    expect(committed).toEqual(rendered);
  });

  it('has a service and a timer for every scheduled command, in their repository folders', () => {
    const files = renderUnits(DEFAULT_UNIT_OPTIONS);
    expect(files.map((f) => `${f.dir}/${f.name}`).sort()).toEqual(
      SCHEDULED_COMMANDS.flatMap((c) => [`units/${c.service}`, `timers/${c.timer}`]).sort(),
    );
    for (const file of files) expect(file.text.startsWith(GENERATED_MARKER)).toBe(true);
  });

  it('runs each command once, as the given user, from the given executable', () => {
    const files = renderUnits(resolveUnitOptions({ bin: '/opt/archivist/bin/archivist', user: 'captions' }));
    for (const job of SCHEDULED_COMMANDS) {
      const text = byName(job.service, files);
      expect(values(text, 'Service', 'Type')).toEqual(['oneshot']);
      expect(values(text, 'Service', 'ExecStart')).toEqual([`/opt/archivist/bin/archivist ${job.command}`]);
      expect(values(text, 'Service', 'User')).toEqual(['captions']);
      expect(values(text, 'Service', 'Group')).toEqual(['captions']);
      expect(values(text, 'Service', 'LoadCredential')).toEqual(['cablecast-password', 'database-url']);
      expect(values(text, 'Service', 'EnvironmentFile')).toEqual(['-/etc/archivist/archivist.env']);
      expect(values(text, 'Service', 'SuccessExitStatus')).toEqual(['143']);
      expect(values(text, 'Service', 'KillMode')).toEqual(['mixed']);
      expect(values(text, 'Unit', 'After')).toEqual(['network-online.target remote-fs.target postgresql.service']);
      expect(values(text, 'Unit', 'Wants')).toEqual(['network-online.target']);
    }
  });

  it("derives ReadWritePaths from the config's shares, work, output and state, leaving out the units' own directories", () => {
    const paths = {
      shares: [
        { key: 'flex1', share: '/mnt/flex-1' },
        { key: 'flex8', share: '/srv/flex-8' },
      ],
      work: '/var/cache/archivist/work',
      output: '/srv/captions',
      state: '/srv/archivist-state',
    };
    const files = renderUnits(resolveUnitOptions({ paths, rwPaths: ['-/srv/renditions', '/srv/captions'] }));
    for (const job of SCHEDULED_COMMANDS) {
      // Shares may be unmounted ("-"); the rest must exist, or the unit says so when it starts.
      expect(values(byName(job.service, files), 'Service', 'ReadWritePaths')).toEqual(
        job.writesShares ? ['-/mnt/flex-1 -/srv/flex-8 /srv/captions /srv/archivist-state -/srv/renditions'] : ['/srv/archivist-state'],
      );
    }
    expect(values(byName('archivist-link-queue.service', files), 'Service', 'ProtectSystem')).toEqual(['strict']);

    const own = renderUnits(resolveUnitOptions({ paths: { shares: [], work: '/var/cache/archivist/work', output: '/var/lib/archivist/output', state: '/var/lib/archivist' } }));
    for (const job of SCHEDULED_COMMANDS) expect(values(byName(job.service, own), 'Service', 'ReadWritePaths')).toEqual([]);
  });

  it('points the units at a config file other than /etc/archivist/config.json', () => {
    const files = renderUnits(resolveUnitOptions({ configFile: '/srv/archivist/config.json' }));
    for (const job of SCHEDULED_COMMANDS) {
      expect(values(byName(job.service, files), 'Service', 'Environment')).toContain('ARCHIVIST_CONFIG=/srv/archivist/config.json');
    }
    const usual = renderUnits(resolveUnitOptions({ configFile: '/etc/archivist/config.json' }));
    expect(values(byName('archivist-link-queue.service', usual), 'Service', 'Environment')).toEqual([]);
  });

  it('lowers CPU and I/O priority for the nightly run only', () => {
    const heavy = byName('archivist-process-recent-vods.service');
    expect(values(heavy, 'Service', 'Nice')).toEqual(['10']);
    expect(values(heavy, 'Service', 'IOSchedulingPriority')).toEqual(['7']);
    expect(values(heavy, 'Service', 'TimeoutStartSec')).toEqual(['12h']);
    const light = byName('archivist-link-queue.service');
    expect(values(light, 'Service', 'Nice')).toEqual([]);
    expect(values(light, 'Service', 'TimeoutStartSec')).toEqual(['1h']);
  });

  it('stops later than the command gives itself after SIGTERM (60 s), so SIGKILL only meets a hang', () => {
    const seconds = { '90s': 90, '2min': 120 } as Record<string, number>;
    for (const job of SCHEDULED_COMMANDS) {
      const [stop] = values(byName(job.service), 'Service', 'TimeoutStopSec');
      expect(seconds[stop ?? '']).toBeGreaterThan(STOP_GRACE_MS / 1000);
    }
  });

  it('schedules the timers as the issue asks, persistent, at the second, with no random delay', () => {
    const expected: Record<string, string> = {
      'archivist-link-queue.timer': '*-*-* 00/2:15:00 UTC',
      'archivist-cleanup-orphaned.timer': '*-*-* 03:45:00 UTC',
      'archivist-process-recent-vods.timer': '*-*-* 19:00:00',
    };
    for (const [timer, calendar] of Object.entries(expected)) {
      const text = byName(timer);
      expect(values(text, 'Timer', 'OnCalendar')).toEqual([calendar]);
      expect(values(text, 'Timer', 'AccuracySec')).toEqual(['1s']);
      expect(values(text, 'Timer', 'RandomizedDelaySec')).toEqual([]);
      expect(values(text, 'Timer', 'FixedRandomDelay')).toEqual([]);
      expect(values(text, 'Timer', 'Persistent')).toEqual(['yes']);
      expect(values(text, 'Timer', 'Unit')).toEqual([timer.replace(/\.timer$/, '.service')]);
      expect(values(text, 'Install', 'WantedBy')).toEqual(['timers.target']);
    }
  });

  it('with --spread, adds a delay of up to that many minutes, fixed per host', () => {
    const files = renderUnits(resolveUnitOptions({ spreadMinutes: 10 }));
    for (const job of SCHEDULED_COMMANDS) {
      const text = byName(job.timer, files);
      expect(values(text, 'Timer', 'RandomizedDelaySec')).toEqual(['10min']);
      expect(values(text, 'Timer', 'FixedRandomDelay')).toEqual(['yes']);
    }
  });
});

describe('resolveUnitOptions', () => {
  it('defaults to the machine-independent values', () => {
    expect(resolveUnitOptions({})).toEqual(DEFAULT_UNIT_OPTIONS);
  });

  it('reports every bad value at once, as a usage error', () => {
    let caught: unknown;
    try {
      resolveUnitOptions({ bin: 'archivist', user: 'root', group: 'Bad Group', rwPaths: ['/srv/my captions', '-/srv/../etc', '/srv/ok'] });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(UsageError);
    const problems = (caught as UsageError).problems;
    expect(problems).toHaveLength(5);
    expect(problems[0]).toMatch(/^--bin: "archivist" must be an absolute path/);
    expect(problems[1]).toMatch(/^--user: the services must not run as root/);
    expect(problems[2]).toMatch(/^--group: "Bad Group" is not a valid/);
    expect(problems[3]).toMatch(/^--rw-path: "\/srv\/my captions"/);
    expect(problems[4]).toMatch(/^--rw-path: "\/srv\/..\/etc" must be written without/);
  });

  it('refuses a --bin the units cannot see, a bad --spread, and a configured path systemd would misread', () => {
    const problems = (input: Parameters<typeof resolveUnitOptions>[0]): readonly string[] => {
      try {
        resolveUnitOptions(input);
        return [];
      } catch (error) {
        return (error as UsageError).problems;
      }
    };
    expect(problems({ bin: '/home/ann/archivist/bin/archivist' })).toEqual([
      '--bin: /home/ann/archivist/bin/archivist is under /home (ProtectHome=yes), which the units cannot see; install archivist elsewhere',
    ]);
    expect(problems({ bin: '/tmp/archivist' })[0]).toContain('under /tmp (PrivateTmp=yes)');
    expect(problems({ spreadMinutes: 0 })).toEqual(['--spread: expected whole minutes from 1 to 720, got 0']);
    const paths = { shares: [{ key: 'flex1', share: '/mnt/flex 1' }], work: '/w', output: '/o', state: '/s' };
    expect(problems({ paths })[0]).toMatch(/^sites\[0\]\.share \(flex1\): "\/mnt\/flex 1" must be an absolute path/);
  });

  it('refuses characters that systemd would read as specifiers, variables or list separators', () => {
    for (const bin of ['/opt/a%n/archivist', '/opt/$HOME/archivist', '/opt/a\\x20b', '/opt/a"b']) {
      expect(() => resolveUnitOptions({ bin })).toThrow(UsageError);
    }
  });
});
