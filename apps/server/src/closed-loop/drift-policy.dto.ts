import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MAX_SAMPLE_ITEMS } from '@fleetprune/protocol';
import { IsBoolean, IsInt, IsNumber, IsOptional, Max, Min } from 'class-validator';

/** Defaults of every optional knob (documented in docs/closed-loop.md). */
export const DRIFT_POLICY_DEFAULTS = {
  enabled: true,
  windowS: 600,
  minSamples: 300,
  confidence: 0.95,
  cooldownS: 1800,
  repruneRelax: 1.5,
  repruneEpochs: 2,
  repruneTrainLimit: null as number | null,
  repruneTestLimit: 1000 as number | null,
  fieldSampleShare: 0.3,
  samplesPerDevice: MAX_SAMPLE_ITEMS,
  sampleWaitS: 30,
  canaryShare: 0.1,
  canaryMinSamples: 300,
  canaryMargin: 0.02,
  canaryTimeoutS: 3600,
};

/** PUT /api/drift-policies/:profile: the whole policy; omitted knobs take their defaults. */
export class PutDriftPolicyDto {
  @ApiProperty({ example: 0.85, description: 'field accuracy the profile must keep (0-1)' })
  @IsNumber()
  @Min(0.01)
  @Max(0.999)
  targetAccuracy!: number;

  @ApiPropertyOptional({ default: DRIFT_POLICY_DEFAULTS.enabled })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;

  @ApiPropertyOptional({ default: DRIFT_POLICY_DEFAULTS.windowS, description: 'telemetry window, seconds' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(30 * 86_400)
  windowS?: number;

  @ApiPropertyOptional({
    default: DRIFT_POLICY_DEFAULTS.minSamples,
    description: 'labelled samples before any verdict',
  })
  @IsOptional()
  @IsInt()
  @Min(10)
  @Max(10_000_000)
  minSamples?: number;

  @ApiPropertyOptional({
    default: DRIFT_POLICY_DEFAULTS.confidence,
    description: 'one-sided confidence of the bounds',
  })
  @IsOptional()
  @IsNumber()
  @Min(0.5)
  @Max(0.9999)
  confidence?: number;

  @ApiPropertyOptional({ default: DRIFT_POLICY_DEFAULTS.cooldownS })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(30 * 86_400)
  cooldownS?: number;

  @ApiPropertyOptional({
    default: DRIFT_POLICY_DEFAULTS.repruneRelax,
    description: "the candidate keeps this many times the incumbent's share of parameters (capped at all)",
  })
  @IsOptional()
  @IsNumber()
  @Min(0.1)
  @Max(10)
  repruneRelax?: number;

  @ApiPropertyOptional({ default: DRIFT_POLICY_DEFAULTS.repruneEpochs })
  @IsOptional()
  @IsNumber()
  @Min(0.01)
  @Max(100)
  repruneEpochs?: number;

  @ApiPropertyOptional({ description: 'cap on training images of the re-pruning job (all by default)' })
  @IsOptional()
  @IsInt()
  @Min(100)
  repruneTrainLimit?: number;

  @ApiPropertyOptional({ default: DRIFT_POLICY_DEFAULTS.repruneTestLimit })
  @IsOptional()
  @IsInt()
  @Min(100)
  repruneTestLimit?: number;

  @ApiPropertyOptional({
    default: DRIFT_POLICY_DEFAULTS.fieldSampleShare,
    description: 'share of fine-tuning images from field samples; 0 = do not collect any',
  })
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(0.9)
  fieldSampleShare?: number;

  @ApiPropertyOptional({
    default: DRIFT_POLICY_DEFAULTS.samplesPerDevice,
    description: 'samples asked of each device per request (one request per tick while sampling)',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_SAMPLE_ITEMS)
  samplesPerDevice?: number;

  @ApiPropertyOptional({ default: DRIFT_POLICY_DEFAULTS.sampleWaitS })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(86_400)
  sampleWaitS?: number;

  @ApiPropertyOptional({
    default: DRIFT_POLICY_DEFAULTS.canaryShare,
    description: 'share of devices in the canary',
  })
  @IsOptional()
  @IsNumber()
  @Min(0.01)
  @Max(0.5)
  canaryShare?: number;

  @ApiPropertyOptional({ default: DRIFT_POLICY_DEFAULTS.canaryMinSamples })
  @IsOptional()
  @IsInt()
  @Min(10)
  @Max(10_000_000)
  canaryMinSamples?: number;

  @ApiPropertyOptional({ default: DRIFT_POLICY_DEFAULTS.canaryMargin, description: 'non-inferiority margin' })
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(0.5)
  canaryMargin?: number;

  @ApiPropertyOptional({ default: DRIFT_POLICY_DEFAULTS.canaryTimeoutS })
  @IsOptional()
  @IsInt()
  @Min(10)
  @Max(30 * 86_400)
  canaryTimeoutS?: number;
}
