import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { BUILTIN_DEVICE_PROFILES, TFLM_DEFAULT_OPS } from '@fleetprune/tflite';
import { Repository } from 'typeorm';
import { AppError } from '../errors/app-error';
import { CreateProfileDto } from './create-profile.dto';
import { DeviceProfile } from './device-profile.entity';

@Injectable()
export class ProfilesService implements OnApplicationBootstrap {
  private readonly logger = new Logger(ProfilesService.name);

  constructor(@InjectRepository(DeviceProfile) private readonly profiles: Repository<DeviceProfile>) {}

  /** Keeps the built-in catalogue in the database current with this release's figures. */
  async onApplicationBootstrap(): Promise<void> {
    await this.profiles.save(
      BUILTIN_DEVICE_PROFILES.map((spec) => this.profiles.create({ ...spec, builtin: true })),
    );
    this.logger.log(`device profiles: ${BUILTIN_DEVICE_PROFILES.map((p) => p.name).join(', ')} (+ custom)`);
  }

  list(): Promise<DeviceProfile[]> {
    return this.profiles.find({ order: { builtin: 'DESC', name: 'ASC' } });
  }

  async get(name: string): Promise<DeviceProfile> {
    const profile = await this.profiles.findOneBy({ name });
    if (!profile) throw AppError.notFound('profile', name);
    return profile;
  }

  async create(dto: CreateProfileDto): Promise<DeviceProfile> {
    if (await this.profiles.existsBy({ name: dto.name })) {
      throw new AppError('CONFLICT', `profile ${JSON.stringify(dto.name)} already exists`);
    }
    const supportedOps = dto.supportedOps ?? [...TFLM_DEFAULT_OPS];
    return this.profiles.save(
      this.profiles.create({
        ...dto,
        description: dto.description ?? '',
        supportedOps,
        runtime: dto.runtime ?? 'tflite-micro',
        builtin: false,
      }),
    );
  }

  async remove(name: string): Promise<void> {
    const profile = await this.get(name);
    if (profile.builtin) throw new AppError('CONFLICT', `profile ${name} is built in and cannot be deleted`);
    await this.profiles.delete({ name });
  }
}
