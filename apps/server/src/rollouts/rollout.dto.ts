import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { TARGET_PATTERN } from '../ota/deployment-target';
import type { DeploymentStatus } from '../ota/deployment.entity';
import type { RolloutKind, RolloutStatus } from './rollout.entity';

export class CreateRolloutDto {
  @ApiProperty({ description: 'a tflite artifact' })
  @IsUUID()
  artifactId!: string;

  @ApiProperty({
    example: 'profile:esp32',
    description: 'device:<id>, group:<name>, tag:<name> or profile:<name>',
  })
  @Matches(TARGET_PATTERN, {
    message: 'target must be device:<id>, group:<name>, tag:<name> or profile:<name>',
  })
  target!: string;

  @ApiPropertyOptional({
    example: [10, 50, 100],
    description: 'cumulative percentages of the devices, increasing, ending at 100',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsNumber({}, { each: true })
  stages?: number[];

  @ApiPropertyOptional({
    default: true,
    description: 'start the next stage when one completes; false waits for POST .../resume',
  })
  @IsOptional()
  @IsBoolean()
  autoAdvance?: boolean;

  @ApiPropertyOptional({ default: 100, description: 'devices downloading at once' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100_000)
  maxConcurrent?: number;
}

export class RolloutActionDto {
  @ApiPropertyOptional({ description: 'why (kept in the audit trail)' })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  reason?: string;
}

/** A rollout as the API shows it. */
export interface RolloutView {
  id: string;
  artifactId: string;
  modelVersion: string;
  target: string;
  kind: RolloutKind;
  status: RolloutStatus;
  stages: number[];
  stageIndex: number;
  autoAdvance: boolean;
  /** The current stage's deployment status. */
  stageStatus: DeploymentStatus;
  /** Waiting for an operator (or the closed loop) to start the next stage. */
  awaitingAdvance: boolean;
  devices: number;
  /** Devices each started stage reaches (cumulative). */
  stageDevices: number[];
  deploymentIds: string[];
  rollbackDeploymentIds: string[];
  reason: string | null;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
}
