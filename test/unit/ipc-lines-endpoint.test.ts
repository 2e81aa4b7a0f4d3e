import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { createIpcLinesEndpoint } from '../../main/host/workers/ipc-lines-endpoint.ts';
import { MalformedMessage } from '../../sdk/rpc/endpoint.ts';

/** Feeds `chunks` as the worker's bytes and collects what the endpoint delivers. */
async function deliveredFrom(chunks: Array<string | Buffer>, maxLineBytes?: number): Promise<unknown[]> {
  const pipe = new PassThrough();
  const endpoint = createIpcLinesEndpoint(pipe, maxLineBytes);
  const got: unknown[] = [];
  endpoint.onMessage((m) => got.push(m));
  for (const chunk of chunks) pipe.write(chunk);
  await new Promise<void>((resolve) => setImmediate(resolve));
  return got;
}

test('messages split across chunks and several in one chunk arrive whole, Node\'s own channel messages are skipped', async () => {
  const a = JSON.stringify('{"ch":"ctl","m":{"hello":true,"reply":false}}');
  const got = await deliveredFrom([a.slice(0, 5), a.slice(5), '\n"two"\n{"cmd":"NODE_HANDLE_ACK"}\n"thr', 'ee"\n']);
  assert.deepEqual(got, ['{"ch":"ctl","m":{"hello":true,"reply":false}}', 'two', 'three']);
});

for (const [what, chunks, reason] of [
  ['bytes that are not UTF-8', [Buffer.from([0x22, 0xff, 0x22, 0x0a]), '"after"\n'], /not UTF-8/],
  ['a line that is not JSON', ['garbage\n"after"\n'], /not JSON/],
  ['a line over the limit without a newline', ['"', 'x'.repeat(200), 'x'.repeat(200)], /over the .* limit/],
  ['a line over the limit', [`"${'x'.repeat(500)}"\n"after"\n`], /over the .* limit/],
] as const) {
  test(`${what} gives one MalformedMessage and nothing after it`, async () => {
    const got = await deliveredFrom([...chunks], 256);
    assert.equal(got.length, 1);
    assert.ok(got[0] instanceof MalformedMessage);
    assert.match(got[0].reason, reason);
  });
}
