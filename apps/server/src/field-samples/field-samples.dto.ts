import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { MAX_SAMPLE_ITEMS } from '@fleetprune/protocol';
import { TARGET_PATTERN } from '../ota/deployment-target';

/** Query strings carry text: "true"/"1" is true, anything else false. */
const queryBoolean = ({ value }: { value: unknown }) => value === true || value === 'true' || value === '1';

export class ListFieldSamplesQueryDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  profile?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  deviceId?: string;

  @ApiPropertyOptional({ description: 'only samples whose true label is known' })
  @IsOptional()
  @Transform(queryBoolean)
  @IsBoolean()
  labelledOnly?: boolean;

  @ApiPropertyOptional({ default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10_000)
  limit?: number;
}

export class DeleteFieldSamplesQueryDto {
  @ApiProperty({ description: 'every stored sample of this profile is deleted' })
  @IsString()
  profile!: string;
}

export class RequestFieldSamplesDto {
  @ApiProperty({
    example: 'profile:esp32',
    description: 'device:<id>, group:<name>, tag:<name> or profile:<name>',
  })
  @Matches(TARGET_PATTERN, {
    message: 'target must be device:<id>, group:<name>, tag:<name> or profile:<name>',
  })
  target!: string;

  @ApiPropertyOptional({
    default: MAX_SAMPLE_ITEMS,
    description: `samples per device, 1-${MAX_SAMPLE_ITEMS}`,
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_SAMPLE_ITEMS)
  max?: number;

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  misclassifiedOnly?: boolean;
}

/** A stored sample as the API lists it (metadata; the pixels stay on the server). */
export interface FieldSampleView {
  id: number;
  deviceId: string;
  profile: string;
  artifactId: string;
  modelVersion: string;
  label: number | null;
  predicted: number;
  confidence: number;
  shape: number[];
  dtype: string;
  bytes: number;
  capturedAt: number;
  receivedAt: number;
}

/** Per-profile totals plus the ingest counters since the server started. */
export interface FieldSampleStats {
  profiles: { profile: string; count: number; labelled: number; misclassified: number }[];
  accepted: number;
  evicted: number;
  rejected: Record<string, number>;
}
