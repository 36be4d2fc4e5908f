import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CreateProfileDto } from './create-profile.dto';
import { DeviceProfile } from './device-profile.entity';
import { ProfilesService } from './profiles.service';

@ApiTags('profiles')
@ApiBearerAuth()
@Controller('api/profiles')
export class ProfilesController {
  constructor(private readonly profiles: ProfilesService) {}

  @Get()
  list(): Promise<DeviceProfile[]> {
    return this.profiles.list();
  }

  @Get(':name')
  get(@Param('name') name: string): Promise<DeviceProfile> {
    return this.profiles.get(name);
  }

  @Post()
  create(@Body() dto: CreateProfileDto): Promise<DeviceProfile> {
    return this.profiles.create(dto);
  }

  @Delete(':name')
  @HttpCode(204)
  remove(@Param('name') name: string): Promise<void> {
    return this.profiles.remove(name);
  }
}
