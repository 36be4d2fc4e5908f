import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const ADMIN_TOKEN_FILE = 'admin-token';

/**
 * The operator token: FLEETPRUNE_ADMIN_TOKEN when set, else the one generated at first start
 * and kept in DATA_DIR/admin-token (mode 0600) so the CLI on this machine can find it.
 */
export function resolveAdminToken(
  dataDir: string,
  fromEnv: string | undefined,
): { token: string; generated: boolean } {
  if (fromEnv) return { token: fromEnv, generated: false };
  const file = join(dataDir, ADMIN_TOKEN_FILE);
  if (existsSync(file)) return { token: readFileSync(file, 'utf8').trim(), generated: false };
  mkdirSync(dataDir, { recursive: true });
  const token = `fp_${randomBytes(24).toString('base64url')}`;
  writeFileSync(file, `${token}\n`, { mode: 0o600, flag: 'wx' });
  return { token, generated: true };
}
