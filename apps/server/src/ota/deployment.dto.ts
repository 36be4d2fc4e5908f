import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsUUID, Matches, Max, Min } from 'class-validator';
import { DEFAULT_CHUNK_SIZE, MAX_CHUNK_SIZE, MIN_CHUNK_SIZE } from '@fleetprune/protocol';
import { TARGET_PATTERN } from './deployment-target';
import type { DeploymentStatus } from './deployment.entity';
import type { OtaSessionState } from './ota-session.entity';

export const DEFAULT_MAX_CONCURRENT = 100;
export const DEFAULT_MAX_ATTEMPTS = 3;

export class CreateDeploymentDto {
  @ApiProperty({ description: 'a tflite artifact' })
  @IsUUID()
  artifactId!: string;

  @ApiProperty({
    example: 'group:greenhouse',
    description: 'device:<id>, group:<name>, tag:<name> or profile:<name>',
  })
  @Matches(TARGET_PATTERN, {
    message: 'target must be device:<id>, group:<name>, tag:<name> or profile:<name>',
  })
  target!: string;

  @ApiPropertyOptional({ default: DEFAULT_MAX_CONCURRENT, description: 'devices downloading at once' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100_000)
  maxConcurrent?: number;

  @ApiPropertyOptional({ default: DEFAULT_MAX_ATTEMPTS, description: 'offers per device before it fails' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(20)
  maxAttempts?: number;

  @ApiPropertyOptional({ default: DEFAULT_CHUNK_SIZE })
  @IsOptional()
  @IsInt()
  @Min(MIN_CHUNK_SIZE)
  @Max(MAX_CHUNK_SIZE)
  chunkSize?: number;
}

/** The tunables of a deployment, however its devices were chosen. */
export type DeploymentOptions = Pick<CreateDeploymentDto, 'maxConcurrent' | 'maxAttempts' | 'chunkSize'>;

/** One device's session as the API shows it. */
export interface OtaSessionView {
  deviceId: string;
  state: OtaSessionState;
  attempts: number;
  /** Download progress of the current attempt, 0-100. */
  percent: number;
  reason: string | null;
  detail: string | null;
  updatedAt: string;
  finishedAt: string | null;
}

export interface DeploymentView {
  id: string;
  artifactId: string;
  modelVersion: string;
  target: string;
  status: DeploymentStatus;
  paused: boolean;
  size: number;
  sha256: string;
  chunkSize: number;
  maxConcurrent: number;
  maxAttempts: number;
  createdAt: string;
  finishedAt: string | null;
  /** Sessions per state, every state present. */
  counts: Record<OtaSessionState, number>;
  devices: number;
  sessions?: OtaSessionView[];
}
