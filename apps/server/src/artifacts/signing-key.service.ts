import { createPublicKey } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { generateSigningKey, signArtifact, SignatureAlgorithm } from '@fleetprune/protocol';
import { APP_CONFIG, AppConfig } from '../config/app-config';

export const SIGNING_KEY_FILE = 'artifact-signing-key.pem';

/** A signature over an artifact's bytes, as offers carry it. */
export interface ArtifactSignature {
  signature: string;
  signatureAlg: SignatureAlgorithm;
}

/**
 * The server's ECDSA P-256 artifact-signing key: created at first start in
 * DATA_DIR/artifact-signing-key.pem (mode 0600, never served); devices get the public half.
 */
@Injectable()
export class SigningKeyService {
  private readonly logger = new Logger('Signing');
  private readonly privateKeyPem: string;
  readonly publicKeyPem: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const file = join(config.dataDir, SIGNING_KEY_FILE);
    if (existsSync(file)) {
      this.privateKeyPem = readFileSync(file, 'utf8');
    } else {
      mkdirSync(config.dataDir, { recursive: true });
      this.privateKeyPem = generateSigningKey().privateKeyPem;
      // 'wx' fails if another replica created it meanwhile; then we read theirs.
      try {
        writeFileSync(file, this.privateKeyPem, { mode: 0o600, flag: 'wx' });
        this.logger.log(`created artifact-signing key ${file}`);
      } catch {
        this.privateKeyPem = readFileSync(file, 'utf8');
      }
    }
    this.publicKeyPem = createPublicKey(this.privateKeyPem)
      .export({ type: 'spki', format: 'pem' })
      .toString();
  }

  sign(bytes: Uint8Array): ArtifactSignature {
    return { signature: signArtifact(bytes, this.privateKeyPem), signatureAlg: 'ecdsa-p256-sha256' };
  }
}
