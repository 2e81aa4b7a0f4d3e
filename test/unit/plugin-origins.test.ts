import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createAppOrigins } from '../../main/shell/plugin-origins.ts';
import { createTestProfile } from '../support/test-host.ts';

test('plugin origins follow the host\'s plugins while it runs, and after it stopped (the app quitting) know none instead of throwing', async (t) => {
  const profile = createTestProfile(t);
  const host = await profile.start({ plugins: [{ name: 'one' }, { name: 'two' }], enablePlugins: false });
  const origins = createAppOrigins('plinth://app', 'plinth-plugin://{key}', () => host.pluginIds());
  assert.deepEqual([...host.pluginIds()].sort(), ['one', 'two']);
  assert.equal(origins.pluginOf(origins.pluginOrigin('one')), 'one');

  await host.stop();
  assert.deepEqual([...host.pluginIds()], []);
  // A frame origin not seen yet makes the origins read the host's plugins again.
  assert.equal(origins.pluginOf(origins.pluginOrigin('three')), undefined);
});
