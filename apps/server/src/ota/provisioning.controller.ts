import { Controller, Get, Inject, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { PROTOCOL_VERSION, publicKeyPoint, SignatureAlgorithm } from '@fleetprune/protocol';
import { SigningKeyService } from '../artifacts/signing-key.service';
import { BrokerService } from '../broker/broker.service';
import { APP_CONFIG, AppConfig } from '../config/app-config';

/** What a device (or the firmware renderer, or the simulator) needs besides its credentials. */
export interface ProvisioningView {
  protocolVersion: number;
  mqttUrl: string;
  signatureAlg: SignatureAlgorithm;
  /** SPKI PEM of the artifact-signing key. */
  publicKeyPem: string;
  /** The same key as the uncompressed point 04||X||Y in hex, for mbedTLS. */
  publicKeyPoint: string;
}

@ApiTags('ota')
@ApiBearerAuth()
@Controller('api/ota')
export class ProvisioningController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly broker: BrokerService,
    private readonly signing: SigningKeyService,
  ) {}

  @Get('provisioning')
  provisioning(@Req() request: Request): ProvisioningView {
    return {
      protocolVersion: PROTOCOL_VERSION,
      mqttUrl: this.config.mqttPublicUrl ?? this.brokerUrlFor(request),
      signatureAlg: 'ecdsa-p256-sha256',
      publicKeyPem: this.signing.publicKeyPem,
      publicKeyPoint: Buffer.from(publicKeyPoint(this.signing.publicKeyPem)).toString('hex'),
    };
  }

  /** The embedded broker on the host the caller reached us by; an external broker as configured. */
  private brokerUrlFor(request: Request): string {
    const { url, embedded } = this.broker.endpoint;
    if (!embedded) return url;
    const host = request.hostname || '127.0.0.1';
    return `mqtt://${host.includes(':') ? `[${host}]` : host}:${this.broker.embeddedPort}`;
  }
}
