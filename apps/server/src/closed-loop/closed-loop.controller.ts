import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import { DriftPoliciesService, DriftPolicyView } from './drift-policies.service';
import { PutDriftPolicyDto } from './drift-policy.dto';
import { Remediation } from './remediation.entity';

@ApiTags('closed loop')
@ApiBearerAuth()
@Controller('api')
export class ClosedLoopController {
  constructor(private readonly policies: DriftPoliciesService) {}

  /** Creates or replaces a profile's drift policy. */
  @Put('drift-policies/:profile')
  put(@Param('profile') profile: string, @Body() dto: PutDriftPolicyDto): Promise<DriftPolicyView> {
    return this.policies.put(profile, dto);
  }

  /** Every policy with the monitor's last check of its profile. */
  @Get('drift-policies')
  list(): Promise<DriftPolicyView[]> {
    return this.policies.list();
  }

  @Get('drift-policies/:profile')
  get(@Param('profile') profile: string): Promise<DriftPolicyView> {
    return this.policies.get(profile);
  }

  @Delete('drift-policies/:profile')
  @HttpCode(204)
  remove(@Param('profile') profile: string): Promise<void> {
    return this.policies.remove(profile);
  }

  /** Closed-loop runs, newest first. */
  @Get('remediations')
  @ApiQuery({ name: 'profile', required: false })
  remediations(@Query('profile') profile?: string): Promise<Remediation[]> {
    return this.policies.listRemediations(profile);
  }

  @Get('remediations/:id')
  remediation(@Param('id', ParseUUIDPipe) id: string): Promise<Remediation> {
    return this.policies.getRemediation(id);
  }
}
