/**
 * The app's secret store: Electron `safeStorage` (macOS Keychain, Windows DPAPI, Linux
 * libsecret/kwallet). Type-checked only in this environment; the host core sees it as a
 * plain {@link SecretStore}.
 */
import { safeStorage } from 'electron';
import { PlinthError } from '../../sdk/protocol/errors.ts';
import type { SecretStore } from '../host/services/secrets/secret-store.ts';

/** Version prefix of safeStorage ciphertexts (base64 of the bytes `encryptString` returns). */
const PREFIX = 'ss1:';

/**
 * Creates the safeStorage-backed store. Call it after the app's `ready` event (before that,
 * safeStorage cannot encrypt on Windows and Linux).
 *
 * `SecretStore` is synchronous, so this uses `encryptString`/`decryptString`, which Electron
 * marks deprecated in favour of the async variants; moving to those means making
 * `SecretStore` async. On Linux without a keyring, Electron falls back to a fixed key
 * (`basic_text`): `kind` says so, so settings can warn the user.
 * @throws PlinthError `NOT_READY` from `encrypt` when no OS encryption is available.
 */
export function createSafeStorageSecretStore(): SecretStore {
  const backend = process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : null;
  return {
    kind: backend === 'basic_text' ? 'safeStorage:basic_text' : 'safeStorage',
    encrypt(plain) {
      if (!safeStorage.isEncryptionAvailable()) {
        throw new PlinthError('NOT_READY', 'The system keychain is not available, so secrets cannot be stored. Unlock or install a keyring and try again.');
      }
      return PREFIX + safeStorage.encryptString(plain).toString('base64');
    },
    decrypt(cipher) {
      if (typeof cipher !== 'string' || !cipher.startsWith(PREFIX)) {
        throw new PlinthError('INVALID_INPUT', `Cannot decrypt a secret (safeStorage): it is not a safeStorage ciphertext (expected the prefix ${PREFIX})`);
      }
      try {
        return safeStorage.decryptString(Buffer.from(cipher.slice(PREFIX.length), 'base64'));
      } catch (error) {
        throw new PlinthError('INVALID_INPUT', `Cannot decrypt a secret (safeStorage): ${(error as Error).message}`);
      }
    },
  };
}
