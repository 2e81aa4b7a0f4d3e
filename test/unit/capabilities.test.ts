import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeCapability, isCapability } from '../../sdk/protocol/capabilities.ts';

test('capability strings of CONTRACT §4 are recognised, unknown ones are not', () => {
  assert.equal(isCapability('tasks.read'), true);
  assert.equal(isCapability('http.outbound:api.github.com'), true);
  assert.equal(isCapability('http.outbound:*.example.com'), true);
  assert.equal(isCapability('http.outbound:'), false);
  assert.equal(isCapability('http.outbound:bad host'), false);
  assert.equal(isCapability('tasks.readwrite'), false);
});

test('outbound hosts are described in plain words, naming the host', () => {
  assert.equal(describeCapability('http.outbound:api.github.com'), 'Connect to api.github.com');
  assert.equal(describeCapability('http.outbound:*.example.com'), 'Connect to any address under example.com');
});
