import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';

export class UploadModelDto {
  @ApiProperty({ example: 'fmnist-cnn' })
  @Matches(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/, { message: 'name must be 1-128 of letters, digits, _ . -' })
  name!: string;

  @ApiPropertyOptional({
    enum: ['fashion-mnist', 'mnist'],
    description: 'dataset used for calibration and fine-tuning',
  })
  @IsOptional()
  @IsIn(['fashion-mnist', 'mnist'])
  dataset?: string;
}
