import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { Public } from '../auth/public.decorator';
import { BrokerService } from './broker.service';

class AuthHookDto {
  @IsString()
  @MaxLength(128)
  clientid!: string;

  @IsString()
  @MaxLength(128)
  username!: string;

  @IsString()
  @MaxLength(256)
  password!: string;
}

class AclHookDto {
  @IsString()
  @MaxLength(128)
  username!: string;

  @IsString()
  @MaxLength(1024)
  topic!: string;

  @IsIn(['publish', 'subscribe', 'all'])
  action!: 'publish' | 'subscribe' | 'all';

  @IsOptional()
  @IsString()
  clientid?: string;
}

type HookAnswer = { result: 'allow' | 'deny' };

/**
 * HTTP authentication/authorization hooks for an external broker (EMQX's "http" backends),
 * so devices get the same credentials and ACL as with the embedded broker.
 */
@ApiExcludeController()
@Public()
@Controller('internal/mqtt')
export class MqttAuthHookController {
  constructor(private readonly broker: BrokerService) {}

  @Post('auth')
  @HttpCode(200)
  async auth(@Body() dto: AuthHookDto): Promise<HookAnswer> {
    const principal = await this.broker.policy.authenticate(
      dto.clientid,
      dto.username,
      Buffer.from(dto.password),
    );
    return { result: principal ? 'allow' : 'deny' };
  }

  @Post('acl')
  @HttpCode(200)
  acl(@Body() dto: AclHookDto): HookAnswer {
    const principal = this.broker.policy.principalOf(dto.username);
    const allowed =
      dto.action === 'publish'
        ? this.broker.policy.mayPublish(principal, dto.topic)
        : dto.action === 'subscribe'
          ? this.broker.policy.maySubscribe(principal, dto.topic)
          : this.broker.policy.mayPublish(principal, dto.topic) &&
            this.broker.policy.maySubscribe(principal, dto.topic);
    return { result: allowed ? 'allow' : 'deny' };
  }
}
