import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EMPTY_LAYOUT, addWidget, arrangeWidgets, hiddenWidgets, moveWidget, removeWidget } from '../../renderer/src/shell/dashboard-layout.ts';

const AVAILABLE = ['a/w', 'b/w', 'c/w'];

test('before any arrangement every widget shows, in the host order', () => {
  assert.deepEqual(arrangeWidgets(AVAILABLE, EMPTY_LAYOUT), AVAILABLE);
});

test('a removed widget stays off, and comes back at the end when added', () => {
  const removed = removeWidget(AVAILABLE, EMPTY_LAYOUT, 'b/w');
  assert.deepEqual(arrangeWidgets(AVAILABLE, removed), ['a/w', 'c/w']);
  assert.deepEqual(hiddenWidgets(AVAILABLE, removed), ['b/w']);
  const back = addWidget(AVAILABLE, removed, 'b/w');
  assert.deepEqual(arrangeWidgets(AVAILABLE, back), ['a/w', 'c/w', 'b/w']);
  assert.deepEqual(hiddenWidgets(AVAILABLE, back), []);
});

test('moving puts a widget at the index among the shown ones, clamped', () => {
  assert.deepEqual(arrangeWidgets(AVAILABLE, moveWidget(AVAILABLE, EMPTY_LAYOUT, 'c/w', 0)), ['c/w', 'a/w', 'b/w']);
  assert.deepEqual(arrangeWidgets(AVAILABLE, moveWidget(AVAILABLE, EMPTY_LAYOUT, 'a/w', 99)), ['b/w', 'c/w', 'a/w']);
  const hidden = removeWidget(AVAILABLE, EMPTY_LAYOUT, 'a/w');
  assert.equal(moveWidget(AVAILABLE, hidden, 'a/w', 0), hidden, 'a removed widget is not moved back in');
});

test('a new plugin\'s widget is on by default; a gone plugin\'s entry keeps its place for its return', () => {
  const arranged = moveWidget(AVAILABLE, EMPTY_LAYOUT, 'c/w', 0);
  assert.deepEqual(arrangeWidgets([...AVAILABLE, 'd/w'], arranged), ['c/w', 'a/w', 'b/w', 'd/w']);
  const withoutC = ['a/w', 'b/w'];
  assert.deepEqual(arrangeWidgets(withoutC, arranged), ['a/w', 'b/w']);
  const changedMeanwhile = moveWidget(withoutC, arranged, 'b/w', 0);
  assert.deepEqual(arrangeWidgets(AVAILABLE, changedMeanwhile), ['b/w', 'a/w', 'c/w'], 'c comes back, after the widgets arranged meanwhile');
});
