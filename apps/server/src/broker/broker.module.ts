import { Module } from '@nestjs/common';
import { DevicesModule } from '../devices/devices.module';
import { BrokerService } from './broker.service';
import { MqttGatewayService } from './mqtt-gateway.service';

@Module({
  imports: [DevicesModule],
  providers: [BrokerService, MqttGatewayService],
  exports: [BrokerService, MqttGatewayService],
})
export class BrokerModule {}
