/*
 * The device's MQTT session (esp-mqtt): client id = username = device id, last will =
 * retained {"v":1,"state":"offline"} on status, subscriptions to exactly ota/offer (QoS 1),
 * ota/chunk (QoS 0) and cmd (QoS 1), as docs/protocol.md "Connecting" says.
 */
#ifndef FP_MQTT_LINK_H_
#define FP_MQTT_LINK_H_

#include <stddef.h>

/* Channels the device publishes on, with their QoS and retain flags from the channel table. */
typedef enum fp_out_channel { FP_OUT_STATUS, FP_OUT_REQUEST, FP_OUT_PROGRESS, FP_OUT_RESULT, FP_OUT_TELEMETRY } fp_out_channel;

void fp_link_start(const char *broker_url, const char *device_id, const char *password);
/* Queues a publish (never blocks the MQTT task); dropped while disconnected except QoS 1. */
void fp_link_publish(fp_out_channel channel, const char *payload, size_t len);

#endif /* FP_MQTT_LINK_H_ */
