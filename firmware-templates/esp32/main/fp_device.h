/*
 * The device: OTA state machine, slots, model and telemetry wired together. Entry points
 * are called from the MQTT task and the main loop; a mutex serialises them.
 */
#ifndef FP_DEVICE_H_
#define FP_DEVICE_H_

#include <stddef.h>
#include <stdint.h>

/* Loads the active model (falling back to the factory one) and prepares the OTA machine. */
void fp_device_start(void);
void fp_device_on_connected(void);
void fp_device_on_offer(const uint8_t *payload, size_t len);
void fp_device_on_cmd(const uint8_t *payload, size_t len);
void fp_device_chunk_begin(size_t frame_len);
void fp_device_chunk_data(const uint8_t *data, size_t len);
void fp_device_chunk_end(void);
/* About once a second: OTA timeouts, telemetry windows. */
void fp_device_tick(void);
/* Runs the model on one input and counts it for telemetry; label < 0 when unknown. */
int fp_device_infer(const int8_t *input, size_t len, int label);

#endif /* FP_DEVICE_H_ */
