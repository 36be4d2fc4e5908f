import { Controller, Get, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { PROTOCOL_VERSION, publicKeyPoint, SignatureAlgorithm } from '@fleetprune/protocol';
import { SigningKeyService } from '../artifacts/signing-key.service';
import { BrokerService } from '../broker/broker.service';

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
    private readonly broker: BrokerService,
    private readonly signing: SigningKeyService,
  ) {}

  @Get('provisioning')
  provisioning(@Req() request: Request): ProvisioningView {
    return {
      protocolVersion: PROTOCOL_VERSION,
      mqttUrl: this.broker.publicMqttUrl(request.hostname),
      signatureAlg: 'ecdsa-p256-sha256',
      publicKeyPem: this.signing.publicKeyPem,
      publicKeyPoint: Buffer.from(publicKeyPoint(this.signing.publicKeyPem)).toString('hex'),
    };
  }
}
