/**
 * Where secrets are encrypted at rest (ARCHITECTURE.md "Transports are injected"): Electron's
 * `safeStorage` in the app (main/electron/safe-storage-secret-store.ts), and elsewhere (tests,
 * CLI, a headless host) the explicit local-key store below, whose key is a file on disk and
 * therefore protects secrets only from someone who gets the database without that file.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { PlinthError } from '@plinth/sdk/protocol/errors';

/**
 * Encrypts and decrypts short strings (tokens, passwords). Ciphertexts are printable ASCII,
 * safe to keep in SQLite TEXT columns, and carry a version prefix of their store.
 */
export interface SecretStore {
  /** @throws PlinthError `NOT_READY` when the store cannot encrypt (e.g. no OS keychain). */
  encrypt(plain: string): string;
  /**
   * @throws PlinthError `INVALID_INPUT` when the ciphertext was altered, is not from this
   *   store, or was made with another key; the message says which store failed.
   */
  decrypt(cipher: string): string;
  /** Names the store (`local-key`, `safeStorage`); kept beside each ciphertext so a store switch is detected. */
  readonly kind: string;
}

/** AES-256-GCM key length (bytes). */
const KEY_BYTES = 32;
/** GCM nonce length (bytes): the 96 bits NIST SP 800-38D recommends; random per encryption. */
const IV_BYTES = 12;
/** GCM authentication tag length (bytes): the full 128 bits. */
const TAG_BYTES = 16;
/** Version prefix of local-key ciphertexts, so a future format can be told apart. */
const PREFIX = 'lk1:';
/** File mode of the key file: owner read/write only. */
const KEY_FILE_MODE = 0o600;
/** Mode of a key folder the store creates: owner only. */
const KEY_DIR_MODE = 0o700;

function readKey(keyFile: string): Buffer {
  const key = Buffer.from(readFileSync(keyFile, 'utf8').trim(), 'base64');
  if (key.length !== KEY_BYTES) {
    throw new PlinthError('INTERNAL',
      `The secret key file ${keyFile} does not hold a ${KEY_BYTES}-byte base64 key. Restore it from a backup, or move it away to start over (stored secrets must then be entered again).`);
  }
  if (process.platform !== 'win32' && (statSync(keyFile).mode & 0o077) !== 0) chmodSync(keyFile, KEY_FILE_MODE);
  return key;
}

function loadOrCreateKey(keyFile: string): Buffer {
  try {
    return readKey(keyFile);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(dirname(keyFile), { recursive: true, mode: KEY_DIR_MODE });
  try {
    // `wx`: never overwrite a key another process created a moment ago; read that one instead.
    writeFileSync(keyFile, `${randomBytes(KEY_BYTES).toString('base64')}\n`, { mode: KEY_FILE_MODE, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return readKey(keyFile);
}

/**
 * The local-key secret store: AES-256-GCM with a random 256-bit key kept in `keyFile`
 * (created with mode 0600 when missing; a looser mode is tightened). Ciphertext format:
 * `lk1:` + base64url(iv ‖ tag ‖ ciphertext).
 * @throws PlinthError `INTERNAL` when `keyFile` exists but is not a key.
 */
export function createLocalKeySecretStore(keyFile: string): SecretStore {
  const key = loadOrCreateKey(keyFile);
  const fail = (why: string) => new PlinthError('INVALID_INPUT', `Cannot decrypt a secret (local-key store, key ${keyFile}): ${why}`);
  return {
    kind: 'local-key',
    encrypt(plain) {
      if (typeof plain !== 'string') throw new PlinthError('INVALID_INPUT', 'A secret must be a string');
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
    },
    decrypt(text) {
      if (typeof text !== 'string' || !text.startsWith(PREFIX)) throw fail(`it is not a local-key ciphertext (expected the prefix ${PREFIX})`);
      const raw = Buffer.from(text.slice(PREFIX.length), 'base64url');
      if (raw.length < IV_BYTES + TAG_BYTES) throw fail('it is truncated');
      const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
      decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      try {
        return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
      } catch {
        throw fail('it was altered, or encrypted with another key');
      }
    },
  };
}
