import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';

export class CreateProfileDto {
  @ApiProperty({ example: 'esp32-cam' })
  @Matches(/^[a-z0-9][a-z0-9-]{0,63}$/, {
    message: 'name must be 1-64 of a-z, 0-9 and -, starting with a letter or digit',
  })
  name!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(256)
  description?: string;

  @ApiProperty({ description: 'flash bytes available to one model slot' })
  @IsInt()
  @Min(1024)
  @Max(2 ** 31 - 1)
  flashBytes!: number;

  @ApiProperty({ description: 'RAM bytes available to the tensor arena' })
  @IsInt()
  @Min(1024)
  @Max(2 ** 31 - 1)
  ramBytes!: number;

  @ApiProperty()
  @IsInt()
  @Min(1)
  @Max(10000)
  clockMhz!: number;

  @ApiProperty({ description: 'sustained int8 MACs per second, for latency estimates' })
  @IsNumber()
  @Min(1)
  macsPerSecond!: number;

  @ApiProperty()
  @IsInt()
  @Min(1)
  latencyBudgetMs!: number;

  @ApiPropertyOptional({ description: 'TFLite builtin op names; defaults to the TFLite Micro set' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @Matches(/^[A-Z0-9_]{1,64}$/, {
    each: true,
    message: 'supportedOps must be TFLite builtin names such as CONV_2D',
  })
  supportedOps?: string[];

  @ApiPropertyOptional({ enum: ['tflite-micro', 'tflite'] })
  @IsOptional()
  @IsIn(['tflite-micro', 'tflite'])
  runtime?: 'tflite-micro' | 'tflite';
}
