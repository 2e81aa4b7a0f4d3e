import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hasPluginCommands, parsePluginCommands, UsageError } from '../../main/shell/plugin-commands/parse.ts';

test('commands are read in order from the whole argv; foreign switches are ignored', () => {
  const argv = ['/opt/Plinth/plinth', '--no-sandbox', '--install-plugin', 'a@1.2.0', '--install-plugin=./b.tgz', '--approve-capabilities', '--enable-plugin', 'c', '--disable-plugin=d', '--uninstall-plugin', '@acme/e', '--list-plugins', '--show-versions'];
  assert.equal(hasPluginCommands(argv), true);
  assert.deepEqual(parsePluginCommands(argv), [
    { kind: 'install', target: 'a@1.2.0', approveCapabilities: true },
    { kind: 'install', target: './b.tgz', approveCapabilities: true },
    { kind: 'enable', id: 'c', approveCapabilities: true },
    { kind: 'disable', id: 'd' },
    { kind: 'uninstall', id: '@acme/e' },
    { kind: 'list', showVersions: true },
  ]);
  assert.equal(hasPluginCommands(['electron', '.', '--inspect']), false, 'a plain launch opens the app');
  assert.deepEqual(parsePluginCommands(['electron', '.']), []);
});

test('usage errors name the switch and show the usage', () => {
  assert.throws(() => parsePluginCommands(['--install-plugin']), (e: Error) => e instanceof UsageError && /--install-plugin needs a value\nUsage:/.test(e.message));
  assert.throws(() => parsePluginCommands(['--enable-plugin', '--list-plugins']), /--enable-plugin needs a value/);
  assert.throws(() => parsePluginCommands(['--show-versions']), /--show-versions goes with --list-plugins/);
  assert.throws(() => parsePluginCommands(['--approve-capabilities', '--list-plugins']), /--approve-capabilities goes with --install-plugin or --enable-plugin/);
});

test("Chromium's proxy answer becomes the proxy URL the registry client uses", async () => {
  const { proxyUrl } = await import('../../main/shell/proxy-answer.ts');
  assert.equal(proxyUrl('DIRECT'), null);
  assert.equal(proxyUrl('PROXY proxy.corp:8080; DIRECT'), 'http://proxy.corp:8080');
  assert.equal(proxyUrl('HTTPS secure.corp:443'), 'https://secure.corp:443');
  assert.equal(proxyUrl('SOCKS5 127.0.0.1:1080'), 'socks://127.0.0.1:1080');
  assert.equal(proxyUrl(''), null);
});
