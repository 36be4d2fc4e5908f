import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  Min,
} from 'class-validator';

export class CreatePruningJobDto {
  @ApiPropertyOptional({ description: 'model id: prunes its latest version (or give modelVersionId)' })
  @IsOptional()
  @IsUUID()
  model?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  modelVersionId?: string;

  @ApiProperty({ example: ['esp32'], description: 'device profiles to prune for (one result each)' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(8)
  @IsString({ each: true })
  profiles!: string[];

  @ApiPropertyOptional({ enum: ['fashion-mnist', 'mnist'], description: "defaults to the model's dataset" })
  @IsOptional()
  @IsIn(['fashion-mnist', 'mnist'])
  dataset?: 'fashion-mnist' | 'mnist';

  @ApiPropertyOptional({
    description: 'fraction of parameters to keep, e.g. 0.4 (mode: smallest within budget)',
  })
  @IsOptional()
  @IsNumber()
  @Min(0.01)
  @Max(1)
  targetParams?: number;

  @ApiPropertyOptional({
    description: 'largest tolerated accuracy drop in points (mode: most pruning within tolerance)',
  })
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(50)
  maxDrop?: number;

  @ApiPropertyOptional({ default: 5, description: 'whole training budget in epochs' })
  @IsOptional()
  @IsNumber()
  @Min(0.01)
  @Max(100)
  epochs?: number;

  @ApiPropertyOptional({ default: 0 })
  @IsOptional()
  @IsInt()
  @Min(0)
  seed?: number;

  @ApiPropertyOptional({ enum: ['taylor', 'l1', 'random'], default: 'taylor' })
  @IsOptional()
  @IsIn(['taylor', 'l1', 'random'])
  scorer?: 'taylor' | 'l1' | 'random';

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  distill?: boolean;

  @ApiPropertyOptional({
    default: 0.15,
    description: "share of each layer's channels pruning leaves (0: a layer may go down to one channel)",
  })
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(0.95)
  minKeepFraction?: number;

  @ApiPropertyOptional({ description: 'cap on training images (faster, less accurate runs)' })
  @IsOptional()
  @IsInt()
  @Min(100)
  trainLimit?: number;

  @ApiPropertyOptional({
    description: "share (0-0.9) of fine-tuning images drawn from the profile's labelled field samples",
  })
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(0.9)
  fieldSampleShare?: number;

  @ApiPropertyOptional({ description: 'test images for the report accuracies (all by default)' })
  @IsOptional()
  @IsInt()
  @Min(100)
  testLimit?: number;
}
