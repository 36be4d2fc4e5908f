import { Module } from '@nestjs/common';
import { DevicesModule } from '../devices/devices.module';
import { BrokerService } from './broker.service';
import { MqttAuthHookController } from './mqtt-auth-hook.controller';
import { MqttGatewayService } from './mqtt-gateway.service';

@Module({
  imports: [DevicesModule],
  controllers: [MqttAuthHookController],
  providers: [BrokerService, MqttGatewayService],
  exports: [BrokerService, MqttGatewayService],
})
export class BrokerModule {}
