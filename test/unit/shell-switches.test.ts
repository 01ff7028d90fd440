// The packaged station refuses to start with switches that open it to another program (a debugger,
// Chromium's remote debugging, V8 flags): electron/shell/shell-options.ts refusedSwitches, used first
// thing in main.ts.
import { describe, expect, it } from 'vitest';
import { refusedSwitches } from '../../electron/shell/shell-options.js';
import { refusedSwitchText } from '../../electron/shell/shell-text.js';

const exe = '/opt/station/evidence-station';

describe('refused command-line switches', () => {
  it('finds every debugging switch, with or without a value', () => {
    const argv = [exe, '--remote-debugging-port=9222', '--inspect', '--inspect-brk=9229', '--inspect-port', '9230', '--js-flags=--allow-natives-syntax', '--remote-debugging-pipe', '--data', '/srv/station'];
    expect(refusedSwitches(argv, true)).toEqual(['--remote-debugging-port', '--inspect', '--inspect-brk', '--inspect-port', '--js-flags', '--remote-debugging-pipe']);
  });

  it('lets the station\'s own switches and lookalikes through', () => {
    expect(refusedSwitches([exe, '--data=/srv/station', '--inspection-report', '--js-flagship', '--lang=zh-CN'], true)).toEqual([]);
  });

  it('refuses nothing in development, where these are the developer\'s tools', () => {
    expect(refusedSwitches([exe, '--inspect', '--remote-debugging-port=9222'], false)).toEqual([]);
  });

  it('tells the person at the station what was refused, in both languages', () => {
    expect(refusedSwitchText(['--inspect'])).toMatch(/拒绝以调试参数启动：--inspect[\s\S]*refuses to start with debugging switches: --inspect/);
  });
});
