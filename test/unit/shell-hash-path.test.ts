import assert from 'node:assert/strict';
import { test } from 'node:test';
import { splitHash } from '../../renderer/src/shell/hash-path.ts';

test('a hash route splits into path and its own query', () => {
  assert.deepEqual(splitHash('#/search?q=docs'), ['/search', 'q=docs']);
  assert.deepEqual(splitHash('#/projects/p1/board'), ['/projects/p1/board', '']);
  assert.deepEqual(splitHash(''), ['/', '']);
  assert.deepEqual(splitHash('#projects'), ['/projects', '']);
  assert.deepEqual(splitHash('#/tasks/t1?tab=a%3Ab'), ['/tasks/t1', 'tab=a%3Ab']);
});
