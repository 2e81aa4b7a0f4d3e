/**
 * Installing from a `.tgz`: a good `npm pack` archive becomes a plugin folder; every malicious
 * or malformed archive is refused with a clear INVALID_INPUT and leaves nothing on disk.
 * Archives are built header by header so each attack is exactly what the test says.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { access, open, readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { Header, type HeaderData } from 'tar';
import { extractPluginArchive } from '../../main/host/archive/extract.ts';
import { MAX_PLUGIN_ARCHIVE_BYTES, MAX_PLUGIN_ARCHIVE_ENTRIES } from '../../main/host/archive/limits.ts';
import { validatePluginFolder } from '../../main/host/manifest/index.ts';
import { PlinthError } from '../../sdk/protocol/errors.ts';
import { makeTempDir, minimalManifest } from '../fixtures/manifests/plugin-folder.ts';

interface Entry { path: string; type?: HeaderData['type']; body?: string; size?: number; linkpath?: string; mode?: number }

/** One tar entry: a 512-byte header and its body padded to a block. */
function tarEntry(e: Entry): Buffer {
  const body = Buffer.from(e.body ?? '');
  const header = new Header({
    path: e.path, type: e.type ?? 'File', size: e.size ?? body.length, mode: e.mode ?? 0o644,
    mtime: new Date('2024-01-01T00:00:00Z'), uid: 0, gid: 0, ...(e.linkpath ? { linkpath: e.linkpath } : {}),
  });
  header.encode();
  return Buffer.concat([header.block!, body, Buffer.alloc((512 - (body.length % 512)) % 512)]);
}

/** A gzipped tar of `entries`, ended by the two zero blocks of the format. */
function tgz(entries: Entry[]): Buffer {
  return gzipSync(Buffer.concat([...entries.map(tarEntry), Buffer.alloc(1024)]));
}

const MANIFEST: Entry = { path: 'package/package.json', body: JSON.stringify(minimalManifest('from-archive')) };
const WORKER: Entry = { path: 'package/worker.js', body: 'export default {};\n' };

async function setup(t: TestContext, archive: Buffer | null) {
  const base = await makeTempDir(t);
  const file = path.join(base, 'plugin.tgz');
  if (archive) await writeFile(file, archive);
  const installs = path.join(base, 'installs');
  return { base, file, installs, dest: path.join(installs, 'from-archive') };
}

test('an npm pack archive is extracted with package/ stripped and validates as a plugin', async (t) => {
  const { file, dest, installs } = await setup(t, tgz([{ path: 'package/', type: 'Directory', mode: 0o755 }, MANIFEST, WORKER]));
  const { dir } = await extractPluginArchive(file, dest);
  assert.equal(dir, dest);
  assert.deepEqual((await readdir(dest)).sort(), ['package.json', 'worker.js']);
  assert.deepEqual(await readdir(installs), ['from-archive'], 'no temporary folder is left next to it');
  const result = await validatePluginFolder(dir, { source: 'user' });
  assert.equal(result.ok, true);
});

test('extracted files get plain permissions: no setuid, executable only when it was', async (t) => {
  const { file, dest } = await setup(t, tgz([MANIFEST, { ...WORKER, mode: 0o4777 }, { path: 'package/README.md', body: '#', mode: 0o666 }]));
  await extractPluginArchive(file, dest);
  assert.equal((await stat(path.join(dest, 'worker.js'))).mode & 0o7777, 0o755);
  assert.equal((await stat(path.join(dest, 'README.md'))).mode & 0o7777, 0o644);
});

interface Refusal { name: string; entries: Entry[]; message: RegExp; maxBytes?: number }

const refusals: Refusal[] = [
  { name: 'an entry climbing out with ..', entries: [MANIFEST, { path: 'package/../../evil.js', body: 'x' }], message: /entry "package\/\.\.\/\.\.\/evil\.js" escapes the plugin folder/ },
  { name: 'an entry starting with ..', entries: [MANIFEST, { path: '../evil.js', body: 'x' }], message: /escapes the plugin folder/ },
  { name: 'a Windows-style .. path', entries: [MANIFEST, { path: 'package\\..\\..\\evil.js', body: 'x' }], message: /escapes the plugin folder/ },
  { name: 'an absolute path', entries: [MANIFEST, { path: '/tmp/plinth-evil.js', body: 'x' }], message: /entry "\/tmp\/plinth-evil\.js" is an absolute path/ },
  { name: 'a drive-letter path', entries: [MANIFEST, { path: 'C:/evil.js', body: 'x' }], message: /is an absolute path/ },
  { name: 'a symbolic link', entries: [MANIFEST, { path: 'package/passwd', type: 'SymbolicLink', linkpath: '/etc/passwd' }], message: /entry "package\/passwd" is a symbolic link/ },
  { name: 'a hard link', entries: [MANIFEST, { path: 'package/hard', type: 'Link', linkpath: 'package/package.json' }], message: /entry "package\/hard" is a hard link/ },
  { name: 'a character device', entries: [MANIFEST, { path: 'package/tty', type: 'CharacterDevice' }], message: /is a character device; only files and folders are allowed/ },
  { name: 'a block device', entries: [MANIFEST, { path: 'package/sda', type: 'BlockDevice' }], message: /is a block device/ },
  { name: 'a FIFO', entries: [MANIFEST, { path: 'package/pipe', type: 'FIFO' }], message: /is a FIFO/ },
  { name: 'an entry outside package/', entries: [MANIFEST, { path: 'other/worker.js', body: 'x' }], message: /entry "other\/worker\.js" is not under "package\/"/ },
  { name: 'a "./package/" prefix (tar would strip "." instead)', entries: [MANIFEST, { path: './package/x.js', body: 'x' }], message: /entry "\.\/package\/x\.js" is not under "package\/"/ },
  { name: 'an empty path segment', entries: [MANIFEST, { path: 'package//x.js', body: 'x' }], message: /has an empty path segment/ },
  { name: 'a package.json at the top instead of under package/', entries: [WORKER, { path: 'package.json', body: '{}' }], message: /is not under "package\/"/ },
  { name: 'no manifest at all', entries: [WORKER], message: /it has no package\/package\.json/ },
  { name: 'files adding up to more than the limit', entries: [MANIFEST, { path: 'package/big.bin', body: '\0'.repeat(4096) }], maxBytes: 2048, message: /it unpacks to more than 2\.0 kB/ },
  {
    name: 'a header announcing more than 50 MB (checked before any body is read)',
    entries: [MANIFEST, { path: 'package/bomb.bin', size: MAX_PLUGIN_ARCHIVE_BYTES + 1 }], message: /it unpacks to more than 50\.0 MB/,
  },
];

for (const row of refusals) {
  test(`extraction refuses ${row.name} and writes nothing`, async (t) => {
    const { base, file, installs, dest } = await setup(t, tgz(row.entries));
    await assert.rejects(
      extractPluginArchive(file, dest, row.maxBytes ? { maxBytes: row.maxBytes } : {}),
      (error: unknown) => {
        assert.ok(error instanceof PlinthError);
        assert.equal(error.code, 'INVALID_INPUT');
        assert.match(error.message, /^Refused plugin archive plugin\.tgz: /);
        assert.match(error.message, row.message);
        return true;
      },
    );
    await assert.rejects(access(dest), 'the plugin folder was not created');
    const left = await readdir(installs).catch(() => []);
    assert.deepEqual(left, [], 'no partial folder is left behind');
    assert.deepEqual((await readdir(base)).filter((n) => n !== 'installs'), ['plugin.tgz'], 'nothing escaped next to the archive');
    await assert.rejects(access('/tmp/plinth-evil.js'));
  });
}

test('extraction refuses an archive with more entries than the limit', async (t) => {
  const dirs: Entry[] = Array.from({ length: MAX_PLUGIN_ARCHIVE_ENTRIES }, (_, i) => ({ path: `package/d${i}/`, type: 'Directory' as const }));
  const { file, dest } = await setup(t, tgz([MANIFEST, ...dirs]));
  await assert.rejects(extractPluginArchive(file, dest), /it has more than 20000 entries/);
  await assert.rejects(access(dest));
});

test('extraction refuses a compressed file over 50 MB without reading it', async (t) => {
  const { file, dest } = await setup(t, null);
  const handle = await open(file, 'w');
  await handle.truncate(MAX_PLUGIN_ARCHIVE_BYTES + 1); // sparse: no disk used
  await handle.close();
  await assert.rejects(extractPluginArchive(file, dest), (error: unknown) => {
    assert.ok(error instanceof PlinthError && error.code === 'INVALID_INPUT');
    assert.match(error.message, /it is 50\.0 MB, over the 50\.0 MB limit/);
    return true;
  });
});

test('extraction refuses a file that is not a tar archive', async (t) => {
  const { file, dest } = await setup(t, Buffer.from('this is not an archive at all, just some text '.repeat(40)));
  await assert.rejects(extractPluginArchive(file, dest), /Refused plugin archive plugin\.tgz: it is not a valid \.tgz archive/);
});

test('extraction never overwrites an existing folder and reports a missing archive', async (t) => {
  const { file, dest } = await setup(t, tgz([MANIFEST, WORKER]));
  await extractPluginArchive(file, dest);
  await assert.rejects(extractPluginArchive(file, dest), (error: unknown) => error instanceof PlinthError && error.code === 'CONFLICT');
  await assert.rejects(extractPluginArchive(`${file}.missing`, `${dest}-2`), (error: unknown) => error instanceof PlinthError && error.code === 'NOT_FOUND');
});
