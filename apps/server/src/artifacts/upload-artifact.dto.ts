import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';

/** Form fields that come with an uploaded `.tflite` file. */
export class UploadArtifactDto {
  @ApiPropertyOptional({
    example: 'fmnist-2.1',
    description: 'version string devices report; default art-<id prefix>',
  })
  @IsOptional()
  @Matches(/^[!-~]{1,64}$/, {
    message: 'modelVersion must be 1-64 printable ASCII characters without spaces',
  })
  modelVersion?: string;

  @ApiPropertyOptional({ example: 'fmnist', description: 'C identifier for the generated model array' })
  @IsOptional()
  @Matches(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, {
    message: 'name must be a C identifier of at most 64 characters',
  })
  name?: string;
}
